//! The product's promise: adding a resource file and re-running the generator is all it takes.
//! A copy of `teams.yaml` as `playbooks.yaml` yields five more tools, and the crate still builds.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use std::path::Path;
use std::process::Command;

use generator::Layout;

/// `integrations/` plus `chronosphere/resources/playbooks.yaml`, a renamed copy of teams.
fn docs_with_playbooks(dir: &Path) {
    common::copy_tree(&common::root().join("integrations"), dir);
    let resources = dir.join("chronosphere/resources");
    let teams = std::fs::read_to_string(resources.join("teams.yaml")).unwrap();
    let playbooks = teams
        .replace("name: teams", "name: playbooks")
        .replace("singular: team", "singular: playbook")
        .replace("/config/teams", "/config/playbooks");
    assert_ne!(teams, playbooks);
    std::fs::write(resources.join("playbooks.yaml"), playbooks).unwrap();
}

#[test]
fn a_copied_resource_yields_five_more_tools_that_build() {
    let dir = common::temp_dir("new-resource");
    let docs = dir.join("integrations");
    docs_with_playbooks(&docs);

    let generation = generator::Builder::new()
        .docs_dir(&docs)
        .layout(Layout::Crates)
        .emit_rerun_if_changed(false)
        .run()
        .unwrap();
    // Every integration of `integrations/` is generated; the copy adds five tools to them.
    let baseline = generator::Builder::new()
        .docs_dir(common::root().join("integrations"))
        .layout(Layout::Crates)
        .emit_rerun_if_changed(false)
        .run()
        .unwrap();
    assert_eq!(generation.tool_count(), baseline.tool_count() + 5);
    let tools: Vec<&str> = generation.tool_names().collect();
    for expected in [
        "list_all_chronosphere_playbooks",
        "get_single_chronosphere_playbook_by_id",
        "create_a_chronosphere_playbook",
        "update_a_chronosphere_playbook_by_id",
        "delete_a_chronosphere_playbook_by_id",
    ] {
        assert!(
            tools.contains(&expected),
            "{expected} missing from {tools:?}"
        );
    }
    // The teams module is untouched; the new one sits beside it.
    let teams = Path::new("chronosphere/src/teams.rs");
    assert_eq!(generation.files.get(teams), baseline.files.get(teams));
    let lib = generation.files.get("chronosphere/src/lib.rs").unwrap();
    assert!(
        lib.contains("pub mod playbooks;")
            && lib.contains("&playbooks::LIST_ALL_CHRONOSPHERE_PLAYBOOKS"),
        "{lib}"
    );
    assert!(lib.contains("pub async fn list_playbooks("), "{lib}");
    for (path, text) in generation.files.iter() {
        if path.extension().is_some_and(|ext| ext == "rs") {
            syn::parse_file(text)
                .unwrap_or_else(|err| panic!("{} does not parse: {err}", path.display()));
        }
    }

    // Build the new crate for real, in a throwaway workspace that shares this workspace's
    // lockfile and target directory, so only the new crate itself is compiled.
    let out = dir.join("workspace");
    generation.files.write(&out).unwrap();
    std::fs::write(out.join("Cargo.toml"), workspace_manifest()).unwrap();
    std::fs::copy(common::root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args([
            "build",
            "--offline",
            "--quiet",
            "-p",
            "mcpgen-chronosphere",
            "--message-format",
            "short",
        ])
        .env("CARGO_TARGET_DIR", target_dir())
        .current_dir(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the generated crate does not build:\n{stderr}"
    );
    let own_warnings: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("chronosphere/"))
        .collect();
    assert!(
        own_warnings.is_empty(),
        "the generated crate has warnings:\n{}",
        own_warnings.join("\n")
    );
}

/// The throwaway workspace: the generated crate, with the same inherited fields and the real
/// runtime.
fn workspace_manifest() -> String {
    let root = common::root();
    format!(
        r#"[workspace]
resolver = "3"
members = ["chronosphere"]

[workspace.package]
version = "0.1.0"
edition = "2024"
license = "Apache-2.0"
rust-version = "1.88"

[workspace.dependencies]
mcpgen-runtime = {{ path = "{runtime}" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = {{ version = "1", features = ["preserve_order"] }}

[workspace.lints.rust]
unsafe_code = "forbid"
"#,
        runtime = root.join("runtime").display()
    )
}

fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(Into::into)
        .unwrap_or_else(|| common::root().join("target"))
}
