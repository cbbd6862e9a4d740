//! The published JSON Schemas of the doc format (`docs/schemas/*.schema.json`) are exactly what
//! the generator derives, are valid 2020-12 schemas, and accept the real docs.
//! `MCPGEN_BLESS=1 cargo test -p generator --test format_schemas` rewrites them.
#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::fs;
use std::path::{Path, PathBuf};

use generator::format_schema::{INTEGRATION_SCHEMA_FILE, RESOURCE_SCHEMA_FILE, format_schemas};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn published_schemas_are_up_to_date() {
    let dir = repo().join("docs/schemas");
    let bless = std::env::var_os("MCPGEN_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (name, text) in format_schemas() {
        let path = dir.join(name);
        if bless {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&path, &text).unwrap();
        } else if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing: {}\nrun `MCPGEN_BLESS=1 cargo test -p generator --test format_schemas` to update them",
        stale.join(", ")
    );
}

#[test]
fn published_schemas_are_valid_json_schema() {
    for (name, text) in format_schemas() {
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        if let Err(error) = jsonschema::meta::validate(&schema) {
            panic!("{name} is not a valid JSON Schema: {error}");
        }
    }
}

fn yaml_as_json(path: &Path) -> Value {
    serde_yaml::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&format_schemas()[name]).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn editors_accept_the_real_docs_and_flag_a_typo() {
    let integration = validator(INTEGRATION_SCHEMA_FILE);
    let resource = validator(RESOURCE_SCHEMA_FILE);
    let docs = repo().join("integrations/chronosphere");

    let integration_doc = yaml_as_json(&docs.join("integration.yaml"));
    let errors: Vec<String> = integration
        .iter_errors(&integration_doc)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "integration.yaml: {errors:?}");

    let mut teams = yaml_as_json(&docs.join("resources/teams.yaml"));
    let errors: Vec<String> = resource
        .iter_errors(&teams)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "teams.yaml: {errors:?}");

    let list = teams["methods"]["list"].as_object_mut().unwrap();
    let path = list.remove("response_path").unwrap();
    list.insert("reponse_path".to_owned(), path);
    assert!(!resource.is_valid(&teams), "an unknown key must be flagged");
}

#[test]
fn yaml_files_point_editors_at_the_schemas() {
    let docs = repo().join("integrations/chronosphere");
    let first_line = |path: &Path| {
        fs::read_to_string(path)
            .unwrap()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        first_line(&docs.join("integration.yaml")),
        "# yaml-language-server: $schema=../../docs/schemas/integration.schema.json"
    );
    assert_eq!(
        first_line(&docs.join("resources/teams.yaml")),
        "# yaml-language-server: $schema=../../../docs/schemas/resource.schema.json"
    );
}
