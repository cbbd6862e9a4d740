//! `generator import` as a library: the real Chronosphere swagger and small hand-written specs
//! (Swagger 2.0, OpenAPI 3.0 and 3.1) become docs that the generator accepts, and the docs say
//! what the specs say. Everything is written to temporary folders, never to `integrations/`.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::{Builder, Error, Imported, Importer};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// The real Config API swagger, kept in the repository (`tests/data/`).
fn chronosphere_swagger() -> PathBuf {
    let path = common::root().join("tests/data/chronosphere/configv1.swagger.json");
    assert!(
        path.is_file(),
        "the Chronosphere swagger is missing at {}",
        path.display()
    );
    path
}

/// Imports `spec` as `name` into a fresh docs folder; returns the result and the folder.
fn import(spec: &Path, name: &str) -> (Imported, PathBuf) {
    let imported = Importer::new(spec, name)
        .run()
        .unwrap_or_else(|err| panic!("importing {}: {err}", spec.display()));
    let docs = common::temp_dir(&format!("import-{name}"));
    imported.write(&docs, false).unwrap();
    (imported, docs)
}

/// The tool names the generator gives the docs in `docs`, after validating them.
fn generated_tool_names(docs: &Path) -> Vec<String> {
    let mut builder = Builder::new();
    builder.docs_dir(docs).emit_rerun_if_changed(false);
    if let Err(diagnostics) = builder.validate() {
        panic!("the imported docs do not validate:\n{diagnostics}");
    }
    let generation = builder
        .run()
        .unwrap_or_else(|err| panic!("generating: {err}"));
    generation.tool_names().map(str::to_owned).collect()
}

/// A written doc, parsed back.
fn doc(docs: &Path, integration: &str, file: &str) -> Value {
    let path = docs.join(integration).join(file);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn at<'v>(value: &'v Value, pointer: &str) -> &'v Value {
    value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in {value:#}"))
}

fn text<'v>(value: &'v Value, pointer: &str) -> &'v str {
    at(value, pointer)
        .as_str()
        .unwrap_or_else(|| panic!("{pointer} is not text in {value:#}"))
}

fn keys(value: &Value, pointer: &str) -> Vec<String> {
    at(value, pointer)
        .as_object()
        .unwrap_or_else(|| panic!("{pointer} is not a mapping"))
        .keys()
        .cloned()
        .collect()
}

/// How many operations (GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS, TRACE) the spec has.
fn operation_count(spec: &Path) -> usize {
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
    const VERBS: [&str; 8] = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().keys())
        .filter(|key| VERBS.contains(&key.as_str()))
        .count()
}

#[test]
fn the_chronosphere_swagger_imports_whole_and_generates() {
    let spec = chronosphere_swagger();
    let (imported, docs) = import(&spec, "chronosphere");
    let report = &imported.report;
    let operations = operation_count(&spec);
    let unmapped: Vec<(&str, &str)> = report.unmapped().collect();
    assert_eq!(
        report.method_count() + unmapped.len(),
        operations,
        "every operation is a method or reported: {report}"
    );
    for (id, reason) in &unmapped {
        assert!(!reason.is_empty(), "{id} is unmapped without a reason");
    }

    let tools = generated_tool_names(&docs);
    assert_eq!(tools.len(), report.method_count(), "one tool per method");
    let unique: BTreeSet<&String> = tools.iter().collect();
    assert_eq!(unique.len(), tools.len(), "tool names repeat: {tools:?}");
    for tool in &tools {
        assert!(tool.len() <= 64, "`{tool}` is {} characters", tool.len());
    }

    // The shapes the hand-written teams doc has, found by the importer.
    let teams = doc(&docs, "chronosphere", "resources/teams.yaml");
    assert_eq!(text(&teams, "/id/field"), "slug");
    assert_eq!(
        text(&teams, "/methods/get/http"),
        "GET /api/v1/config/teams/{id}"
    );
    assert_eq!(text(&teams, "/methods/list/response_path"), "teams");
    assert_eq!(text(&teams, "/methods/get/response_path"), "team");
    assert_eq!(text(&teams, "/methods/create/body_wrapper"), "team");
    assert_eq!(
        keys(&teams, "/methods/update/body_schema/properties"),
        ["create_if_missing", "dry_run"]
    );
    assert_eq!(
        keys(&teams, "/methods/list/query_schema/properties"),
        ["names", "slugs"],
        "the parameters pagination fills are not repeated"
    );
    assert_eq!(at(&teams, "/schema/properties/created_at/readOnly"), true);
    let integration = doc(&docs, "chronosphere", "integration.yaml");
    assert_eq!(text(&integration, "/pagination/style"), "cursor");
    assert_eq!(text(&integration, "/pagination/cursor_param"), "page.token");
    assert_eq!(
        text(&integration, "/pagination/limit_param"),
        "page.max_size"
    );
    assert_eq!(
        text(&integration, "/pagination/next_cursor_path"),
        "page.next_token"
    );
    assert_eq!(text(&integration, "/errors/message_path"), "message");
    assert!(text(&integration, "/base_url").ends_with(".invalid"));

    // A singleton, a nested singleton and the name clash between the two service attributes.
    let pools = doc(&docs, "chronosphere", "resources/resource_pools.yaml");
    assert!(pools.get("id").is_none(), "a singleton has no id");
    assert_eq!(
        keys(&pools, "/methods"),
        ["get", "create", "update", "delete"]
    );
    assert_eq!(text(&pools, "/methods/get/response_path"), "resource_pools");
    let listed = doc(&docs, "chronosphere", "resources/service_attributes.yaml");
    assert_eq!(keys(&listed, "/methods"), ["list"]);
    let nested = doc(
        &docs,
        "chronosphere",
        "resources/attributes_of_service.yaml",
    );
    assert_eq!(
        text(&nested, "/methods/update/http"),
        "PUT /api/v1/config/services/{service_slug}/attributes"
    );
    assert_eq!(
        keys(&nested, "/methods/update/path_schema/properties"),
        ["service_slug"]
    );
    let clashes = report.to_string();
    assert!(
        clashes.contains("`attributes_of_service`, not `service_attributes`"),
        "{clashes}"
    );

    // The one name over 64 characters got the short form.
    let strategies = doc(
        &docs,
        "chronosphere",
        "resources/trace_jaeger_remote_sampling_strategies.yaml",
    );
    assert_eq!(
        text(&strategies, "/methods/get/tool_name"),
        "get_chronosphere_trace_jaeger_remote_sampling_strategy"
    );
    assert!(strategies.pointer("/methods/list/tool_name").is_none());
}

#[test]
fn importing_twice_writes_the_same_bytes() {
    let spec = fixture("accounts.openapi30.yaml");
    let first = Importer::new(&spec, "accounts").run().unwrap();
    let second = Importer::new(&spec, "accounts").run().unwrap();
    assert_eq!(first.files, second.files);
    assert_eq!(first.report.to_string(), second.report.to_string());
}

#[test]
fn swagger_2_json() {
    let (imported, docs) = import(&fixture("petstore.swagger2.json"), "petstore");
    generated_tool_names(&docs);
    let integration = doc(&docs, "petstore", "integration.yaml");
    assert_eq!(
        text(&integration, "/base_url"),
        "https://petstore.example.com/api/v2"
    );
    assert_eq!(text(&integration, "/auth/type"), "header");
    assert_eq!(text(&integration, "/auth/header"), "X-Api-Key");
    assert_eq!(text(&integration, "/pagination/style"), "offset");
    assert_eq!(text(&integration, "/pagination/offset_param"), "offset");
    assert_eq!(text(&integration, "/pagination/limit_param"), "limit");
    assert_eq!(text(&integration, "/errors/message_path"), "message");

    let pets = doc(&docs, "petstore", "resources/pets.yaml");
    // A path-level `{petId}` names the record's `id`, an integer.
    assert_eq!(text(&pets, "/id/field"), "id");
    assert_eq!(text(&pets, "/id/description"), "The pet's numeric id.");
    assert_eq!(text(&pets, "/schema/properties/id/type"), "integer");
    assert_eq!(at(&pets, "/schema/properties/id/readOnly"), true);
    // `allOf` merged, an integer enum as prose, a string enum kept, `$ref`s inlined, a cycle cut.
    assert_eq!(at(&pets, "/schema/required"), &serde_json::json!(["name"]));
    assert!(
        text(&pets, "/schema/properties/size/description").contains("Allowed values: 1, 2, 3.")
    );
    assert!(pets.pointer("/schema/properties/size/enum").is_none());
    assert_eq!(
        at(&pets, "/schema/properties/status/enum"),
        &serde_json::json!(["available", "pending", "sold"])
    );
    assert_eq!(
        keys(&pets, "/schema/properties/tags/items/properties"),
        ["color", "name"]
    );
    let parent = at(&pets, "/schema/properties/category/properties/parent");
    assert!(
        parent.get("type").is_none(),
        "the cycle is any JSON: {parent}"
    );
    assert!(text(parent, "/description").contains("`Category` again"));
    assert_eq!(
        at(&pets, "/schema/properties/name/examples"),
        &serde_json::json!(["Rex"])
    );
    // The list: offset paging, the rest of the query kept, a parameter `$ref` resolved.
    assert_eq!(
        text(&pets, "/methods/list/description"),
        "List the pets in the store."
    );
    assert_eq!(
        keys(&pets, "/methods/list/query_schema/properties"),
        ["status", "tags"]
    );
    assert!(pets.pointer("/methods/list/response_path").is_none());
    // A body that is not the record is sent as its own fields.
    assert_eq!(at(&pets, "/methods/create/body_record"), false);
    assert_eq!(
        keys(&pets, "/methods/create/body_schema/properties"),
        ["born", "category", "name", "size", "status", "tags"]
    );
    // A custom operation under the item path.
    assert_eq!(
        text(&pets, "/custom_methods/adopt/http"),
        "POST /pets/{id}/adopt"
    );
    assert_eq!(
        keys(&pets, "/custom_methods/adopt/body_schema/properties"),
        ["owner"]
    );

    let unmapped: Vec<(&str, &str)> = imported.report.unmapped().collect();
    let ids: Vec<&str> = unmapped.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, ["countPets", "uploadPetPhoto"], "{unmapped:?}");
    assert!(unmapped[1].1.contains("formData") || unmapped[1].1.contains("form"));
}

#[test]
fn openapi_3_0_yaml() {
    let (imported, docs) = import(&fixture("accounts.openapi30.yaml"), "accounts");
    generated_tool_names(&docs);
    let integration = doc(&docs, "accounts", "integration.yaml");
    assert_eq!(
        text(&integration, "/base_url"),
        "https://{region}.accounts.example.com/v2"
    );
    assert_eq!(at(&integration, "/credentials/region/secret"), false);
    assert_eq!(text(&integration, "/auth/type"), "bearer");
    assert_eq!(text(&integration, "/pagination/style"), "page");
    assert_eq!(text(&integration, "/pagination/limit_param"), "per_page");
    // The reply's own flag ends the list (no extra call after a full last page).
    assert_eq!(text(&integration, "/pagination/has_more_path"), "has_more");
    assert_eq!(text(&integration, "/errors/message_path"), "error.detail");

    let users = doc(&docs, "accounts", "resources/users.yaml");
    assert_eq!(text(&users, "/methods/list/response_path"), "data");
    assert_eq!(text(&users, "/methods/update/http"), "PATCH /users/{id}");
    assert_eq!(text(&users, "/methods/update/body_wrapper"), "user");
    assert_eq!(
        keys(&users, "/methods/create/body_schema/properties"),
        ["notify"]
    );
    // `oneOf` of objects: one object, every property optional, and a note.
    let kind = at(&users, "/schema/properties/kind");
    assert_eq!(keys(kind, "/properties"), ["email", "nickname", "owner"]);
    assert!(kind.get("required").is_none());
    assert!(text(kind, "/description").contains("One of these shapes: `Person`, `Bot`"));
    // An array of objects keeps its item schema; an integer enum is prose.
    assert_eq!(
        at(
            &users,
            "/schema/properties/roles/items/properties/scope/enum"
        ),
        &serde_json::json!(["read", "write"])
    );
    assert!(text(&users, "/schema/properties/level/description").contains("1, 2, 3"));
    // A custom method with a required query parameter.
    assert_eq!(
        text(&users, "/custom_methods/suspend/http"),
        "POST /users/{id}/suspend"
    );
    assert_eq!(
        at(&users, "/custom_methods/suspend/query_schema/required"),
        &serde_json::json!(["reason"])
    );

    // A nested singleton: no id, the parent's parameter a path argument.
    let settings = doc(&docs, "accounts", "resources/user_settings.yaml");
    assert!(settings.get("id").is_none());
    assert_eq!(keys(&settings, "/methods"), ["get", "update"]);
    assert_eq!(
        keys(&settings, "/methods/get/path_schema/properties"),
        ["userId"]
    );

    let report = imported.report.to_string();
    assert!(
        report.contains("left out query parameter `filter`"),
        "{report}"
    );
    assert!(
        report.contains("left out optional header parameter `X-Request-Id`"),
        "{report}"
    );
    let unmapped: Vec<(&str, &str)> = imported.report.unmapped().collect();
    assert_eq!(unmapped.len(), 1, "{unmapped:?}");
    assert_eq!(unmapped[0].0, "uploadAvatar");
    assert!(unmapped[0].1.contains("image/png"), "{}", unmapped[0].1);
}

#[test]
fn openapi_3_1_yaml_read_by_content_not_name() {
    // The YAML spec under a `.json` name: the content decides.
    let dir = common::temp_dir("import-events-spec");
    let spec = dir.join("events.json");
    std::fs::copy(fixture("events.openapi31.yaml"), &spec).unwrap();
    let (imported, docs) = import(&spec, "events");
    generated_tool_names(&docs);
    assert_eq!(imported.report.unmapped().count(), 0);

    let integration = doc(&docs, "events", "integration.yaml");
    assert_eq!(text(&integration, "/auth/type"), "query");
    assert_eq!(text(&integration, "/auth/param"), "api_key");
    assert_eq!(text(&integration, "/pagination/style"), "cursor");
    assert_eq!(text(&integration, "/pagination/cursor_param"), "cursor");
    assert_eq!(text(&integration, "/pagination/limit_param"), "page_size");
    assert_eq!(
        text(&integration, "/pagination/next_cursor_path"),
        "next_cursor"
    );
    assert_eq!(
        text(&integration, "/description"),
        "An event log.\n\nEvents are append-only."
    );
    let raw = std::fs::read_to_string(docs.join("events/integration.yaml")).unwrap();
    assert!(
        raw.contains("description: |-\n"),
        "multi-line prose is a block:\n{raw}"
    );
    assert!(raw.contains("# PLACEHOLDER"), "{raw}");

    let events = doc(&docs, "events", "resources/events.yaml");
    // `[string, "null"]` is a string, and not required; `const` is a one-value enum.
    assert_eq!(text(&events, "/schema/properties/message/type"), "string");
    assert_eq!(
        at(&events, "/schema/required"),
        &serde_json::json!(["id", "type"])
    );
    assert_eq!(
        at(&events, "/schema/properties/type/enum"),
        &serde_json::json!(["audit"])
    );
    assert!(events.pointer("/schema/properties/payload/type").is_none());
    assert!(
        text(&events, "/schema/properties/payload/description").contains("An object or a string")
    );
    assert_eq!(text(&events, "/schema/properties/at/format"), "date-time");
    // `{event_id}` names the record's `id`.
    assert_eq!(text(&events, "/id/field"), "id");
    assert_eq!(text(&events, "/methods/get/http"), "GET /events/{id}");
    assert_eq!(
        keys(&events, "/methods/list/query_schema/properties"),
        ["type"]
    );
}

#[test]
fn every_file_opens_with_the_editor_schema_line() {
    let (imported, _) = import(&fixture("petstore.swagger2.json"), "petstore_headers");
    for (path, text) in &imported.files {
        let first = text.lines().next().unwrap_or_default();
        let expected = if path.ends_with("integration.yaml") {
            "# yaml-language-server: $schema=../../docs/schemas/integration.schema.json"
        } else {
            "# yaml-language-server: $schema=../../../docs/schemas/resource.schema.json"
        };
        assert_eq!(first, expected, "{}", path.display());
    }
    // The same lines as the hand-written docs.
    let teams = std::fs::read_to_string(
        common::root().join("integrations/chronosphere/resources/teams.yaml"),
    )
    .unwrap();
    assert!(teams.starts_with(
        "# yaml-language-server: $schema=../../../docs/schemas/resource.schema.json\n"
    ));
}

#[test]
fn bad_specs_name_the_file_and_the_pointer() {
    let dir = common::temp_dir("import-bad");
    let cases = [
        (
            "dangling.yaml",
            "swagger: '2.0'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: x\n          schema: {$ref: '#/definitions/Nope'}\n",
            "dangling.yaml at `/paths/~1a/get/responses/200/schema`: `$ref: #/definitions/Nope` names nothing",
        ),
        (
            "external.yaml",
            "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: x\n          content:\n            application/json:\n              schema: {$ref: 'other.yaml#/A'}\n",
            "points outside this file",
        ),
        (
            "notaspec.json",
            "{\"info\": {}}",
            "notaspec.json: neither `swagger` nor `openapi`",
        ),
        (
            "badparam.yaml",
            "swagger: '2.0'\npaths:\n  /a:\n    get:\n      parameters: [{in: query}]\n",
            "badparam.yaml at `/paths/~1a/get/parameters/0`: a parameter needs a `name`",
        ),
    ];
    for (file, text, expected) in cases {
        let spec = dir.join(file);
        std::fs::write(&spec, text).unwrap();
        let message = match Importer::new(&spec, "bad").run() {
            Ok(_) => panic!("{file} imported"),
            Err(err) => err.to_string(),
        };
        assert!(message.contains(expected), "{file}: {message}");
    }
    let err = Importer::new(fixture("petstore.swagger2.json"), "Pet-Store").run();
    assert!(
        matches!(&err, Err(Error::ImportOption(m)) if m.contains("`pet_store`")),
        "{err:?}"
    );
    let err = Importer::new(fixture("petstore.swagger2.json"), "petstore")
        .resource("kittens")
        .run();
    assert!(
        matches!(&err, Err(Error::ImportOption(m)) if m.contains("`kittens`") && m.contains("pets")),
        "{err:?}"
    );
}

#[test]
fn a_selective_import_keeps_the_integration_file() {
    let spec = fixture("accounts.openapi30.yaml");
    let docs = common::temp_dir("import-selective");
    Importer::new(&spec, "accounts")
        .run()
        .unwrap()
        .write(&docs, false)
        .unwrap();
    let integration = docs.join("accounts/integration.yaml");
    std::fs::write(
        &integration,
        std::fs::read_to_string(&integration).unwrap().replace(
            "https://{region}.accounts.example.com/v2",
            "https://{region}.curated.example.com",
        ),
    )
    .unwrap();
    let imported = Importer::new(&spec, "accounts")
        .resource("user_settings")
        .docs_dir(&docs)
        .run()
        .unwrap();
    let files: Vec<&PathBuf> = imported.files.keys().collect();
    assert_eq!(files, [Path::new("accounts/resources/user_settings.yaml")]);
    imported.write(&docs, true).unwrap();
    assert!(
        std::fs::read_to_string(&integration)
            .unwrap()
            .contains("curated")
    );
    generated_tool_names(&docs);
}
