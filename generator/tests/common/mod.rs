//! Helpers shared by the generator's integration tests.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.
#![allow(dead_code)] // Each test binary uses a different part.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use generator::{Builder, GeneratedFiles, Layout};

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ has a parent")
        .to_path_buf()
}

/// The fixture doc set (`tests/fixtures/docs`, holding `petstore`).
pub(crate) fn fixture_docs() -> PathBuf {
    root().join("tests/fixtures/docs")
}

/// Generates `docs` in `layout`, with no `cargo:` output.
pub(crate) fn generate(docs: &Path, layout: Layout) -> GeneratedFiles {
    Builder::new()
        .docs_dir(docs)
        .layout(layout)
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap_or_else(|err| panic!("generating {}: {err}", docs.display()))
}

/// Every file under `dir`, by path relative to it.
pub(crate) fn read_tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), text);
            }
        }
    }
    files
}

/// A fresh, empty directory under Cargo's temporary folder, private to this process (people
/// sharing a target directory may run the tests at the same time).
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies a directory tree.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for (relative, text) in read_tree(from) {
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
}

/// Runs the `generator` binary with `args`.
pub(crate) fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator binary runs")
}

/// Output bytes as text.
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
