//! The generated Chronosphere JSON Schemas (`generated/chronosphere/schemas/*.json`) and typed
//! structs against example payloads (`tests/payloads/`): records shaped like the swagger's
//! `configv1Team`, list pages, tool inputs. Valid payloads must pass both the schema (draft
//! 2020-12, formats asserted) and serde; invalid ones must fail both. The schema files must also
//! be exactly what `INTEGRATION` serves, so the files and the server cannot drift apart.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jsonschema::Validator;
use mcpgen_chronosphere::INTEGRATION;
use mcpgen_chronosphere::teams::{
    CreateAChronosphereTeamInput, DeleteAChronosphereTeamByIdInput,
    GetSingleChronosphereTeamByIdInput, ListAllChronosphereTeamsInput, Team,
    UpdateAChronosphereTeamByIdInput,
};
use mcpgen_runtime::Page;
use serde_json::{Value, json};

const LIST: &str = "list_all_chronosphere_teams";
const GET: &str = "get_single_chronosphere_team_by_id";
const CREATE: &str = "create_a_chronosphere_team";
const UPDATE: &str = "update_a_chronosphere_team_by_id";
const DELETE: &str = "delete_a_chronosphere_team_by_id";

/// The tools whose output is one team record.
const RECORD_TOOLS: [&str; 3] = [GET, CREATE, UPDATE];

const TEAM_FIXTURES: [&str; 4] = [
    "team_full.json",
    "team_minimal.json",
    "team_empty_members.json",
    "team_undocumented_fields.json",
];

const LIST_FIXTURES: [&str; 3] = [
    "list_page_with_cursor.json",
    "list_last_page.json",
    "list_empty_no_cursor.json",
];

/// `(tool, fixture)` for every valid input fixture.
const INPUT_FIXTURES: [(&str, &str); 5] = [
    (LIST, "input_list.json"),
    (GET, "input_get.json"),
    (CREATE, "input_create.json"),
    (UPDATE, "input_update.json"),
    (DELETE, "input_delete.json"),
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn schemas_dir() -> PathBuf {
    repo_root().join("generated/chronosphere/schemas")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()))
}

fn payload(name: &str) -> Value {
    read_json(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("payloads")
            .join(name),
    )
}

fn schema_file(tool: &str, side: &str) -> Value {
    read_json(&schemas_dir().join(format!("{tool}.{side}.json")))
}

/// A draft 2020-12 validator that also asserts `format` (by default 2020-12 treats it as an
/// annotation, which would let a malformed `created_at` through unnoticed).
fn validator(schema: &Value) -> Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

fn input_validator(tool: &str) -> Validator {
    validator(&schema_file(tool, "input"))
}

fn output_validator(tool: &str) -> Validator {
    validator(&schema_file(tool, "output"))
}

fn assert_valid(validator: &Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{} at `{}`", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what} should be valid: {errors:?}");
}

fn assert_invalid(validator: &Validator, instance: &Value, what: &str) {
    assert!(
        !validator.is_valid(instance),
        "{what} should be rejected: {instance}"
    );
}

/// Decodes `args` as the typed input of `tool`, the way its handler does.
fn decode_input(tool: &str, args: &Value) -> Result<Value, String> {
    fn typed<T>(args: &Value) -> Result<Value, String>
    where
        T: serde::de::DeserializeOwned + serde::Serialize,
    {
        let input: T = serde_json::from_value(args.clone()).map_err(|error| error.to_string())?;
        Ok(serde_json::to_value(&input).unwrap())
    }
    match tool {
        LIST => typed::<ListAllChronosphereTeamsInput>(args),
        GET => typed::<GetSingleChronosphereTeamByIdInput>(args),
        CREATE => typed::<CreateAChronosphereTeamInput>(args),
        UPDATE => typed::<UpdateAChronosphereTeamByIdInput>(args),
        DELETE => typed::<DeleteAChronosphereTeamByIdInput>(args),
        other => panic!("no typed input for `{other}`"),
    }
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("schema has no properties: {schema}"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn schema_files_are_exactly_the_schemas_the_integration_serves() {
    let mut expected_files = BTreeSet::new();
    for tool in INTEGRATION.tools {
        for (side, served) in [("input", tool.input_schema), ("output", tool.output_schema)] {
            let served: Value = serde_json::from_str(served).unwrap_or_else(|error| {
                panic!("{}'s {side} schema is not JSON: {error}", tool.name)
            });
            assert_eq!(
                schema_file(tool.name, side),
                served,
                "{}.{side}.json differs from the schema INTEGRATION serves",
                tool.name
            );
            expected_files.insert(format!("{}.{side}.json", tool.name));
        }
    }
    let files: BTreeSet<String> = std::fs::read_dir(schemas_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        files, expected_files,
        "schema files and INTEGRATION's tools differ (orphaned or missing files)"
    );
    assert_eq!(
        INTEGRATION.tools.len(),
        183,
        "one tool per operation of the Config API swagger"
    );
}

#[test]
fn every_schema_is_a_draft_2020_12_object_schema_clients_accept() {
    for tool in INTEGRATION.tools {
        for side in ["input", "output"] {
            let schema = schema_file(tool.name, side);
            let what = format!("{}.{side}.json", tool.name);
            if let Err(error) = jsonschema::draft202012::meta::validate(&schema) {
                panic!("{what} is not a valid 2020-12 schema: {error}");
            }
            assert_eq!(
                schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{what}"
            );
            assert_eq!(schema["type"], "object", "{what}: root must be an object");
            let text = schema.to_string();
            for banned in [
                "\"$ref\"",
                "\"$defs\"",
                "\"oneOf\"",
                "\"anyOf\"",
                "\"allOf\"",
            ] {
                assert!(!text.contains(banned), "{what} uses {banned}");
            }
        }
        assert_eq!(
            schema_file(tool.name, "input")["additionalProperties"],
            json!(false),
            "{}: inputs must refuse unknown arguments",
            tool.name
        );
    }
}

#[test]
fn the_record_schema_has_the_swagger_team_fields() {
    // configv1Team in configv1.swagger.json: these six properties, timestamps read-only
    // date-times.
    let swagger_fields: BTreeSet<String> = [
        "slug",
        "name",
        "description",
        "user_emails",
        "created_at",
        "updated_at",
    ]
    .map(String::from)
    .into();
    for name in RECORD_TOOLS {
        let schema = schema_file(name, "output");
        assert_eq!(property_names(&schema), swagger_fields, "{name}");
        for stamp in ["created_at", "updated_at"] {
            assert_eq!(schema["properties"][stamp]["format"], "date-time");
            assert_eq!(schema["properties"][stamp]["readOnly"], true);
        }
        assert_eq!(
            schema["properties"]["user_emails"]["items"]["type"],
            "string"
        );
        // Responses are not filtered, so the record schema must not refuse unknown fields.
        assert_ne!(schema["additionalProperties"], json!(false), "{name}");
    }
    let list = schema_file(LIST, "output");
    assert_eq!(
        property_names(&list["properties"]["result"]["items"]),
        swagger_fields
    );
}

#[test]
fn team_records_validate_against_every_record_schema() {
    for name in RECORD_TOOLS {
        let validator = output_validator(name);
        for fixture in TEAM_FIXTURES {
            assert_valid(
                &validator,
                &payload(fixture),
                &format!("{fixture} as {name}"),
            );
        }
    }
}

#[test]
fn the_schema_examples_are_valid_records() {
    for name in RECORD_TOOLS {
        let schema = schema_file(name, "output");
        let validator = validator(&schema);
        let examples = schema["examples"].as_array().unwrap();
        assert!(!examples.is_empty(), "{name} has no example");
        for example in examples {
            assert_valid(&validator, example, &format!("{name}'s example"));
            let team: Team = serde_json::from_value(example.clone()).unwrap();
            assert!(
                team.extra.is_empty(),
                "the example uses undocumented fields"
            );
        }
    }
}

#[test]
fn malformed_team_records_are_rejected_by_the_schema() {
    let base = payload("team_full.json");
    let cases = [
        ("name", json!(42)),
        ("slug", json!(null)),
        ("user_emails", json!("alice@example.com")),
        ("user_emails", json!(["alice@example.com", 7])),
        ("description", json!({"text": "nested"})),
        ("created_at", json!("last Tuesday")),
        ("updated_at", json!(1767225600)),
    ];
    for name in RECORD_TOOLS {
        let validator = output_validator(name);
        for (field, value) in &cases {
            let mut team = base.clone();
            team[field] = value.clone();
            assert_invalid(&validator, &team, &format!("{name} with {field} = {value}"));
        }
        assert_invalid(&validator, &json!(["not", "a", "record"]), name);
    }
}

#[test]
fn typed_team_decodes_every_fixture_and_round_trips_it_unchanged() {
    for fixture in TEAM_FIXTURES {
        let original = payload(fixture);
        let team: Team = serde_json::from_value(original.clone()).unwrap();
        assert_eq!(
            team.slug.as_deref(),
            original["slug"].as_str(),
            "{fixture}: slug"
        );
        assert_eq!(serde_json::to_value(&team).unwrap(), original, "{fixture}");
    }
}

#[test]
fn typed_team_keeps_fields_the_docs_do_not_mention() {
    let original = payload("team_undocumented_fields.json");
    let team: Team = serde_json::from_value(original.clone()).unwrap();
    assert_eq!(team.name.as_deref(), Some("Payments"));
    assert_eq!(
        team.user_emails.as_deref(),
        Some(&["carol@example.com".to_owned()][..])
    );
    assert_eq!(team.created_at.as_deref(), Some("2026-02-01T08:00:00Z"));
    let extra: BTreeSet<&str> = team.extra.keys().map(String::as_str).collect();
    assert_eq!(extra, BTreeSet::from(["idp_group", "labels"]));
    assert_eq!(team.extra["labels"]["cost-center"], "cc-42");
    let again = serde_json::to_value(&team).unwrap();
    assert_eq!(again["idp_group"], "okta:grp-payments");
    assert_eq!(again, original);
}

#[test]
fn typed_team_rejects_wrongly_typed_documented_fields() {
    let base = payload("team_full.json");
    for (field, value) in [
        ("name", json!(42)),
        ("user_emails", json!("alice@example.com")),
        ("user_emails", json!([7])),
        ("created_at", json!(1767225600)),
    ] {
        let mut team = base.clone();
        team[field] = value.clone();
        assert!(
            serde_json::from_value::<Team>(team).is_err(),
            "Team accepted {field} = {value}"
        );
    }
}

#[test]
fn list_pages_validate_with_string_null_or_absent_cursor() {
    let validator = output_validator(LIST);
    for fixture in LIST_FIXTURES {
        assert_valid(&validator, &payload(fixture), fixture);
    }
    assert_invalid(
        &validator,
        &json!({"next_cursor": null}),
        "a page without result",
    );
    assert_invalid(&validator, &json!({"result": {}}), "result as an object");
    assert_invalid(
        &validator,
        &json!({"result": [{"slug": 1}], "next_cursor": null}),
        "a record with a numeric slug",
    );
}

#[test]
fn typed_pages_decode_the_list_fixtures() {
    let with_cursor: Page<Team> =
        serde_json::from_value(payload("list_page_with_cursor.json")).unwrap();
    assert_eq!(with_cursor.next_cursor.as_deref(), Some("7061796d656e7473"));
    assert_eq!(with_cursor.result.len(), 2);
    assert_eq!(
        with_cursor.result[1].extra["idp_group"],
        "okta:grp-payments"
    );
    assert_eq!(
        serde_json::to_value(&with_cursor).unwrap(),
        payload("list_page_with_cursor.json")
    );

    let last: Page<Team> = serde_json::from_value(payload("list_last_page.json")).unwrap();
    assert_eq!(last.next_cursor, None);
    assert_eq!(last.result[0].slug.as_deref(), Some("sre"));

    let empty: Page<Team> = serde_json::from_value(payload("list_empty_no_cursor.json")).unwrap();
    assert!(empty.result.is_empty());
    assert_eq!(empty.next_cursor, None);
    // What the server sends for it always carries the cursor key, null on the last page.
    let sent = serde_json::to_value(&empty).unwrap();
    assert_eq!(sent, json!({"result": [], "next_cursor": null}));
    assert_valid(&output_validator(LIST), &sent, "an empty page as sent");
}

#[test]
fn delete_output_is_whatever_object_the_upstream_sent() {
    let validator = output_validator(DELETE);
    assert_valid(&validator, &json!({}), "an empty reply");
    assert_valid(
        &validator,
        &json!({"team": payload("team_minimal.json")}),
        "a reply with the team",
    );
    assert_invalid(&validator, &json!("deleted"), "a string");
}

#[test]
fn valid_inputs_pass_the_schema_and_the_typed_input_unchanged() {
    for (name, fixture) in INPUT_FIXTURES {
        let args = payload(fixture);
        assert_valid(
            &input_validator(name),
            &args,
            &format!("{fixture} for {name}"),
        );
        let decoded = decode_input(name, &args)
            .unwrap_or_else(|error| panic!("{fixture} for {name} does not decode: {error}"));
        assert_eq!(
            decoded, args,
            "{fixture}: the typed input lost or changed a field"
        );
    }
}

#[test]
fn input_fixtures_cover_every_input_field() {
    // So the test above exercises every field the schema declares (and the struct must then
    // know each of them, since the inputs deny unknown fields).
    for (name, fixture) in INPUT_FIXTURES {
        let args = payload(fixture);
        let fields: BTreeSet<String> = args.as_object().unwrap().keys().cloned().collect();
        // `fields` (list and get) is taken out by the server before the typed input is decoded
        // (server/src/fields.rs), so the fixtures leave it out.
        let mut declared = property_names(&schema_file(name, "input"));
        declared.remove("fields");
        assert_eq!(fields, declared, "{fixture} vs {name}'s input schema");
    }
}

#[test]
fn minimal_inputs_are_valid() {
    for (name, args) in [
        (LIST, json!({})),
        (CREATE, json!({"name": "Data Platform"})),
        (UPDATE, json!({"id": "data-platform"})),
    ] {
        assert_valid(&input_validator(name), &args, &format!("{args} for {name}"));
        assert_eq!(decode_input(name, &args).unwrap(), args, "{name}");
    }
}

#[test]
fn invalid_inputs_are_rejected_by_the_schema_and_the_typed_input() {
    // (tool, arguments, text the serde error must contain).
    let cases = [
        (
            LIST,
            json!({"limit": "ten"}),
            "invalid type: string \"ten\"",
        ),
        (LIST, json!({"limit": -1}), "invalid value: integer `-1`"),
        (LIST, json!({"limit": 2.5}), "invalid type: floating point"),
        (
            LIST,
            json!({"slugs": "team-a"}),
            "invalid type: string \"team-a\"",
        ),
        (
            LIST,
            json!({"names": ["SRE", 7]}),
            "invalid type: integer `7`",
        ),
        (LIST, json!({"next_cursor": 5}), "invalid type: integer `5`"),
        (LIST, json!({"page_size": 10}), "unknown field `page_size`"),
        (
            LIST,
            json!({"page.max_size": 10}),
            "unknown field `page.max_size`",
        ),
        (GET, json!({}), "missing field `id`"),
        (GET, json!({"id": 42}), "invalid type: integer `42`"),
        (
            GET,
            json!({"id": "sre", "slug": "sre"}),
            "unknown field `slug`",
        ),
        (
            CREATE,
            json!({"team": {"name": "Data Platform"}}),
            "unknown field `team`",
        ),
        (
            CREATE,
            json!({"name": "Data Platform", "created_at": "2026-01-12T09:30:00Z"}),
            "unknown field `created_at`",
        ),
        (
            CREATE,
            json!({"name": "X", "dry_run": "yes"}),
            "invalid type: string \"yes\"",
        ),
        (
            CREATE,
            json!({"user_emails": "dana@example.com"}),
            "invalid type: string \"dana@example.com\"",
        ),
        (
            UPDATE,
            json!({"name": "Data Platform"}),
            "missing field `id`",
        ),
        (
            UPDATE,
            json!({"id": "x", "create_if_missing": "true"}),
            "invalid type: string \"true\"",
        ),
        (
            UPDATE,
            json!({"id": "x", "upsert": true}),
            "unknown field `upsert`",
        ),
        (DELETE, json!({"id": null}), "invalid type: null"),
        (
            DELETE,
            json!({"id": "x", "force": true}),
            "unknown field `force`",
        ),
    ];
    for (name, args, expected) in cases {
        assert_invalid(&input_validator(name), &args, &format!("{args} for {name}"));
        match decode_input(name, &args) {
            Ok(decoded) => panic!("{name}'s typed input accepted {args} as {decoded}"),
            Err(error) => assert!(
                error.contains(expected),
                "{name} with {args}: expected `{expected}` in `{error}`"
            ),
        }
    }
}

#[test]
fn non_object_arguments_are_rejected_by_every_input_schema() {
    // The typed inputs are not checked here: handlers receive a JSON object (MCP arguments are
    // one), so serde's array form of a struct is unreachable through them.
    for tool in INTEGRATION.tools {
        let validator = input_validator(tool.name);
        for args in [json!(null), json!([]), json!("id"), json!(7)] {
            assert_invalid(&validator, &args, tool.name);
        }
    }
}
