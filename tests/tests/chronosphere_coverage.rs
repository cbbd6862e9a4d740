//! The whole Chronosphere Config API is served: every operation of the real swagger
//! (`tests/data/chronosphere/configv1.swagger.json`) is exactly one tool, and every tool is an
//! operation of the swagger. Tool names keep the 64-character limit clients enforce.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use mcpgen_chronosphere::INTEGRATION;
use serde_json::Value;

/// `GET /api/v1/config/teams/{}`: a verb and a path with its placeholders' names erased, so a
/// doc's `{id}` and the swagger's `{slug}` compare equal.
type Operation = (String, String);

fn erase_placeholder_names(path: &str) -> String {
    let mut out = String::new();
    let mut in_placeholder = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push_str("{}");
            }
            '}' => in_placeholder = false,
            _ if in_placeholder => {}
            _ => out.push(c),
        }
    }
    out
}

fn swagger_operations() -> BTreeMap<Operation, String> {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chronosphere/configv1.swagger.json");
    let swagger: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let mut operations = BTreeMap::new();
    for (path, item) in swagger["paths"].as_object().unwrap() {
        for (verb, operation) in item.as_object().unwrap() {
            if !["get", "post", "put", "patch", "delete"].contains(&verb.as_str()) {
                continue;
            }
            let id = operation["operationId"].as_str().unwrap().to_owned();
            operations.insert((verb.to_uppercase(), erase_placeholder_names(path)), id);
        }
    }
    operations
}

#[test]
fn every_swagger_operation_is_exactly_one_tool() {
    let swagger = swagger_operations();
    assert_eq!(swagger.len(), 183, "the Config API has 183 operations");

    let mut tools: BTreeMap<Operation, Vec<&str>> = BTreeMap::new();
    for tool in INTEGRATION.tools {
        let operation = (
            tool.plan.verb.as_str().to_owned(),
            erase_placeholder_names(&tool.plan.path_template()),
        );
        tools.entry(operation).or_default().push(tool.name);
    }
    let missing: Vec<_> = swagger
        .iter()
        .filter(|(operation, _)| !tools.contains_key(*operation))
        .map(|((verb, path), id)| format!("{id} ({verb} {path})"))
        .collect();
    assert!(missing.is_empty(), "operations with no tool: {missing:#?}");
    let invented: Vec<_> = tools
        .iter()
        .filter(|(operation, _)| !swagger.contains_key(*operation))
        .collect();
    assert!(
        invented.is_empty(),
        "tools for operations the swagger lacks: {invented:#?}"
    );
    let doubled: Vec<_> = tools.iter().filter(|(_, names)| names.len() > 1).collect();
    assert!(
        doubled.is_empty(),
        "operations with two tools: {doubled:#?}"
    );
}

#[test]
fn tool_names_are_unique_and_fit_in_64_characters() {
    let mut seen = BTreeSet::new();
    for tool in INTEGRATION.tools {
        assert!(seen.insert(tool.name), "{} is listed twice", tool.name);
        assert!(
            (1..=64).contains(&tool.name.len())
                && tool
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{} is not a snake_case name of at most 64 characters",
            tool.name
        );
    }
}

#[test]
fn every_family_tag_names_a_part_of_the_api() {
    // `--tags` and hosted `config.tags` select by these; each must select something and the
    // families together must cover every tool.
    let families = [
        "alerting",
        "metrics",
        "logs",
        "traces",
        "dashboards",
        "admin",
        "cloud_integrations",
        "usage",
        "services",
    ];
    for family in families {
        assert!(
            INTEGRATION.tools.iter().any(|t| t.tags.contains(&family)),
            "no tool is tagged {family}"
        );
    }
    let untagged: Vec<&str> = INTEGRATION
        .tools
        .iter()
        .filter(|t| !t.tags.iter().any(|tag| families.contains(tag)))
        .map(|t| t.name)
        .collect();
    assert!(untagged.is_empty(), "tools in no family: {untagged:?}");
}
