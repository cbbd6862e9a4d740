//! Snapshot tests: the fixture docs (`tests/fixtures/docs/petstore`) generate exactly the files
//! under `generator/tests/snapshots/petstore/`. Bless a deliberate change with
//! `MCPGEN_BLESS=1 cargo test -p generator --test snapshot` and review the diff.
//!
//! The crate snapshot is also a workspace member, so `cargo build --workspace` proves that what
//! the generator emits for every feature of the docs compiles.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use std::path::Path;

use generator::{GeneratedFiles, Layout};

#[test]
fn crate_layout_matches_the_snapshots() {
    let files = common::generate(&common::fixture_docs(), Layout::Crates);
    assert_snapshot(
        &files,
        &common::root().join("generator/tests/snapshots/petstore/crates"),
    );
}

#[test]
fn single_file_layout_matches_the_snapshots() {
    let files = common::generate(&common::fixture_docs(), Layout::SingleFile);
    assert_snapshot(
        &files,
        &common::root().join("generator/tests/snapshots/petstore/single_file"),
    );
}

fn assert_snapshot(files: &GeneratedFiles, dir: &Path) {
    let on_disk = common::read_tree(dir);
    if std::env::var_os("MCPGEN_BLESS").is_some_and(|value| value == "1") {
        for relative in on_disk
            .keys()
            .filter(|relative| files.get(relative).is_none())
        {
            std::fs::remove_file(dir.join(relative)).unwrap();
        }
        files.write(dir).unwrap();
        return;
    }
    let mut problems = Vec::new();
    for (relative, expected) in files.iter() {
        match on_disk.get(relative) {
            None => problems.push(format!("missing  {}", relative.display())),
            Some(actual) if actual != expected => {
                let line = first_difference(actual, expected);
                problems.push(format!(
                    "differs  {} (first at line {line})",
                    relative.display()
                ));
            }
            Some(_) => {}
        }
    }
    for relative in on_disk
        .keys()
        .filter(|relative| files.get(relative).is_none())
    {
        problems.push(format!("extra    {}", relative.display()));
    }
    assert!(
        problems.is_empty(),
        "generated files differ from the snapshots in {}:\n  {}\nif the change is intended, run \
         `MCPGEN_BLESS=1 cargo test -p generator --test snapshot` and review the diff",
        dir.display(),
        problems.join("\n  ")
    );
}

fn first_difference(actual: &str, expected: &str) -> usize {
    let mut actual_lines = actual.lines();
    let mut expected_lines = expected.lines();
    let mut line = 1;
    loop {
        match (actual_lines.next(), expected_lines.next()) {
            (Some(a), Some(e)) if a == e => line += 1,
            _ => return line,
        }
    }
}
