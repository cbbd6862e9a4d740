//! Generates `$OUT_DIR/inkwell.rs` from `docs/`; `src/lib.rs` includes it. A problem in the docs
//! fails `cargo build` with every diagnostic (file:line:column), and Cargo reruns this script
//! only when something under `docs/` changes.

fn main() {
    generator::Builder::new().docs_dir("docs").write_or_exit();
}
