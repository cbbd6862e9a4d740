//! Rust names come from one rule, used by validation and emission alike: names the rule keeps
//! apart are emitted as they are, names it makes equal are located diagnostics, and nothing is
//! ever renumbered (`apikey2`) to make the generated code compile.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use std::path::{Path, PathBuf};

use generator::{Error, Layout};

const INTEGRATION: &str = "name: teams
display_name: Teams
description: A teams API.
base_url: https://teams.example.test
auth:
  type: none
";

/// A `teams` resource whose record has `fields` (YAML lines under `properties:`).
fn docs(name: &str, fields: &[&str]) -> PathBuf {
    let dir = common::temp_dir(name);
    let resources = dir.join("teams/resources");
    std::fs::create_dir_all(&resources).unwrap();
    std::fs::write(dir.join("teams/integration.yaml"), INTEGRATION).unwrap();
    let mut resource = String::from(
        "name: teams\nsingular: team\ndescription: Teams.\nschema:\n  type: object\n  properties:\n",
    );
    for field in fields {
        resource.push_str(&format!("    {field}:\n      type: string\n"));
    }
    resource.push_str("methods:\n  list:\n    description: List teams.\n    http: GET /teams\n");
    std::fs::write(resources.join("teams.yaml"), resource).unwrap();
    dir
}

fn generate(dir: &Path) -> Result<String, Error> {
    let files = generator::Builder::new()
        .docs_dir(dir)
        .layout(Layout::SingleFile)
        .emit_rerun_if_changed(false)
        .generate()?;
    Ok(files.get("teams.rs").unwrap().to_owned())
}

#[test]
fn names_the_rule_keeps_apart_are_emitted_as_they_are() {
    let dir = docs(
        "rust-names-apart",
        &[
            "APIKey",
            "api_key",
            "HTTPServer",
            "httpServer",
            "type",
            "2fa",
        ],
    );
    let rust = generate(&dir).unwrap();
    for (wire, field) in [
        ("APIKey", "apikey"),
        ("api_key", "api_key"),
        ("HTTPServer", "httpserver"),
        ("httpServer", "http_server"),
        ("type", "type_"),
        ("2fa", "_2fa"),
    ] {
        assert!(
            rust.contains(&format!("pub {field}: Option<String>,")),
            "no `{field}` for `{wire}` in:\n{rust}"
        );
        if wire != field {
            assert!(rust.contains(&format!("rename = \"{wire}\"")), "{rust}");
        }
    }
    assert!(
        !rust.contains("apikey2") && !rust.contains("extra2"),
        "{rust}"
    );
}

#[test]
fn names_the_rule_makes_equal_are_located_diagnostics_not_renumbered() {
    let dir = docs("rust-names-equal", &["APIKey", "apikey", "id", "ID"]);
    let Err(Error::Diagnostics(diagnostics)) = generate(&dir) else {
        panic!("colliding fields must not generate");
    };
    let file = dir.join("teams/resources/teams.yaml");
    let found: Vec<(usize, usize, &str)> = diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.file, file);
            (d.line, d.column, d.message.as_str())
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                9,
                5,
                "properties `APIKey` and `apikey` of `Team` would both become the Rust field \
                 `apikey`"
            ),
            (
                11,
                5,
                "properties `ID` and `id` of `Team` would both become the Rust field `id`"
            ),
        ]
    );
}
