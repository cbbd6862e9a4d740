//! Inkwell's MCP tools and typed API client, generated at build time.
//!
//! `build.rs` turns `docs/inkwell/` into `$OUT_DIR/inkwell.rs`, and [`inkwell`] includes it:
//! [`inkwell::INTEGRATION`] is what `mcpgen_server` serves (see `src/main.rs`), and
//! [`inkwell::InkwellClient`] calls the same API from plain Rust (see `examples/typed_client.rs`).
//! Adding `docs/inkwell/resources/<resource>.yaml` adds its tools at the next `cargo build`.

/// The generated Inkwell integration: `INTEGRATION`, `InkwellClient`, and one module per
/// resource (`notebooks`, `notes`) with its records, tool inputs and tools.
pub mod inkwell {
    include!(concat!(env!("OUT_DIR"), "/inkwell.rs"));
}
