//! Docs are code: the commands of `docs/adding-an-integration.md`'s tested block run as written
//! (with the scratch folder moved into the test's own temporary folder) and succeed, and the
//! import's docs generate a crate with no edits.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use common::{root, text};

const MARKER: &str = "<!-- tested by generator/tests/adding_an_integration.rs -->";
const SCRATCH: &str = "/tmp/mcpgen-guide";
const PREFIX: &str = "cargo run -p generator -- ";

/// The commands of the block after [`MARKER`], continuation lines joined.
fn guide_commands() -> Vec<String> {
    let guide = std::fs::read_to_string(root().join("docs/adding-an-integration.md")).unwrap();
    let block = guide
        .split_once(MARKER)
        .expect("the guide marks its tested block")
        .1
        .split_once("```sh\n")
        .unwrap()
        .1
        .split_once("```")
        .unwrap()
        .0;
    block
        .replace("\\\n", " ")
        .lines()
        .map(str::to_owned)
        .filter(|line| !line.trim().is_empty())
        .collect()
}

#[test]
fn the_guide_commands_import_and_generate() {
    let commands = guide_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    let scratch = common::temp_dir("adding-an-integration");
    for command in &commands {
        let args = command
            .strip_prefix(PREFIX)
            .unwrap_or_else(|| panic!("`{command}` is not a generator command"));
        let args: Vec<String> = args
            .split_whitespace()
            .map(|arg| arg.replace(SCRATCH, scratch.to_str().unwrap()))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // As a reader runs it: from the repository root, where the guide's paths start.
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_generator"))
            .args(&args)
            .current_dir(root())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "`{command}` failed:\n{}{}",
            text(&output.stdout),
            text(&output.stderr)
        );
    }
    for file in [
        "integrations/petstore/integration.yaml",
        "integrations/petstore/resources/pets.yaml",
        "generated/petstore/src/pets.rs",
        "generated/mcp-server/src/main.rs",
    ] {
        assert!(scratch.join(file).is_file(), "{file} was not written");
    }
    let main = std::fs::read_to_string(scratch.join("generated/mcp-server/src/main.rs")).unwrap();
    assert!(main.contains("&mcpgen_petstore::INTEGRATION"), "{main}");
}
