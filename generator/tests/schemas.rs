//! Every emitted JSON Schema is valid 2020-12 (checked against the meta-schema) and stays in
//! the subset every major MCP client accepts: a root object, no `$ref`/`$defs`, no
//! `oneOf`/`anyOf`/`allOf`, no type arrays, no tuple `items`, string enums, `date-time` as the
//! only `format`, and `additionalProperties: false` on inputs.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use std::path::{Path, PathBuf};

use generator::Layout;
use serde_json::{Value, json};

/// `(path, schema)` for every schema file generated from `docs`.
fn schemas(docs: &Path) -> Vec<(PathBuf, Value)> {
    let files = common::generate(docs, Layout::Crates);
    let schemas: Vec<_> = files
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|ext| ext == "json"))
        .map(|(path, text)| (path.to_path_buf(), serde_json::from_str(text).unwrap()))
        .collect();
    assert!(
        !schemas.is_empty(),
        "no schemas generated from {}",
        docs.display()
    );
    schemas
}

fn all_schemas() -> Vec<(PathBuf, Value)> {
    let mut all = schemas(&common::fixture_docs());
    all.extend(schemas(&common::root().join("integrations")));
    all
}

#[test]
fn schemas_are_valid_json_schema_2020_12() {
    for (path, schema) in all_schemas() {
        if let Err(err) = jsonschema::draft202012::meta::validate(&schema) {
            panic!("{} is not valid JSON Schema 2020-12: {err}", path.display());
        }
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema",
            "{}",
            path.display()
        );
        assert!(
            jsonschema::draft202012::new(&schema).is_ok(),
            "{} does not compile",
            path.display()
        );
    }
}

#[test]
fn schemas_stay_in_the_client_safe_subset() {
    for (path, schema) in all_schemas() {
        let input = path.to_string_lossy().ends_with(".input.json");
        assert_eq!(
            schema["type"],
            "object",
            "{}: the root must be an object",
            path.display()
        );
        if input {
            assert_eq!(schema["additionalProperties"], false, "{}", path.display());
        }
        let mut problems = Vec::new();
        walk(&schema, "#", &mut problems);
        assert!(
            problems.is_empty(),
            "{}:\n  {}",
            path.display(),
            problems.join("\n  ")
        );
    }
}

/// Collects every departure from the subset, by JSON pointer.
fn walk(schema: &Value, at: &str, problems: &mut Vec<String>) {
    let Some(object) = schema.as_object() else {
        problems.push(format!("{at}: a schema must be an object"));
        return;
    };
    for (key, value) in object {
        match key.as_str() {
            "$ref" | "$defs" | "definitions" | "oneOf" | "anyOf" | "allOf" | "not"
            | "prefixItems" => {
                problems.push(format!("{at}: `{key}` is not accepted by every client"))
            }
            "type" if !value.is_string() => {
                problems.push(format!("{at}: `type` must be one string, not {value}"))
            }
            "format" if value != "date-time" => {
                problems.push(format!("{at}: `format: {value}` (only date-time)"))
            }
            "enum"
                if !value
                    .as_array()
                    .is_some_and(|values| values.iter().all(Value::is_string)) =>
            {
                problems.push(format!("{at}: enum values must be strings"))
            }
            "items" if !value.is_object() => problems.push(format!("{at}: tuple `items`")),
            "items" => walk(value, &format!("{at}/items"), problems),
            "properties" => {
                for (name, property) in value.as_object().into_iter().flatten() {
                    walk(property, &format!("{at}/properties/{name}"), problems);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_walk_catches_what_it_should() {
    let mut problems = Vec::new();
    let bad = json!({
        "type": "object",
        "properties": {
            "a": {"type": ["string", "null"]},
            "b": {"anyOf": [{"type": "string"}]},
            "c": {"type": "string", "format": "email"},
            "d": {"type": "array", "items": {"$ref": "#/$defs/x"}},
            "e": {"enum": [1, 2]},
        },
    });
    walk(&bad, "#", &mut problems);
    assert_eq!(problems.len(), 5, "{problems:#?}");
}

fn schema(name: &str) -> Value {
    schemas(&common::root().join("integrations"))
        .into_iter()
        .find(|(path, _)| path.ends_with(name))
        .unwrap_or_else(|| panic!("no schema {name}"))
        .1
}

#[test]
fn schemas_accept_what_the_runtime_sends_and_reject_what_it_refuses() {
    let list_input =
        jsonschema::draft202012::new(&schema("list_all_chronosphere_teams.input.json")).unwrap();
    assert!(list_input.is_valid(&json!({"limit": 2, "next_cursor": "abc", "slugs": ["a"]})));
    assert!(
        !list_input.is_valid(&json!({"limit": 0})),
        "limit has a minimum of 1"
    );
    assert!(
        !list_input.is_valid(&json!({"page_size": 2})),
        "unknown arguments are refused"
    );

    let get_input =
        jsonschema::draft202012::new(&schema("get_single_chronosphere_team_by_id.input.json"))
            .unwrap();
    assert!(get_input.is_valid(&json!({"id": "backend-platform"})));
    assert!(!get_input.is_valid(&json!({})), "id is required");

    let list_output =
        jsonschema::draft202012::new(&schema("list_all_chronosphere_teams.output.json")).unwrap();
    let team = json!({"slug": "a", "name": "A", "user_emails": [], "created_at": "2026-01-01T00:00:00Z", "extra": 1});
    assert!(list_output.is_valid(&json!({"result": [team], "next_cursor": "n"})));
    assert!(
        list_output.is_valid(&json!({"result": [], "next_cursor": null})),
        "the last page has a null cursor"
    );
    assert!(
        !list_output.is_valid(&json!({"next_cursor": null})),
        "result is required"
    );

    let create_input = schema("create_a_chronosphere_team.input.json");
    let properties = create_input["properties"].as_object().unwrap();
    assert!(
        !properties.contains_key("created_at"),
        "read-only fields are not inputs"
    );
    assert!(properties.contains_key("dry_run") && properties.contains_key("user_emails"));
}
