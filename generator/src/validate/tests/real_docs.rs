//! The real `integrations/` folder validates cleanly into the model the emitters rely on.
#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::{Auth, HttpVerb, MethodKind, Pagination, ParamLocation, Schema, SchemaKind};
use crate::validate::{Selection, load_and_validate};

fn integrations_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../integrations")
}

fn properties(schema: &Schema) -> Vec<&str> {
    match &schema.kind {
        SchemaKind::Object(object) => object.properties.keys().map(String::as_str).collect(),
        other => panic!("expected an object schema, found {other:?}"),
    }
}

#[test]
fn chronosphere_teams_validate_into_the_expected_model() {
    let validated = match load_and_validate(&integrations_dir(), &Selection::default()) {
        Ok(validated) => validated,
        Err(diagnostics) => panic!("the real docs must validate:\n{diagnostics}"),
    };
    let chronosphere = validated
        .integrations
        .iter()
        .find(|i| i.name == "chronosphere")
        .expect("chronosphere");
    assert_eq!(chronosphere.base_url, "https://{tenant}.chronosphere.io");
    let credentials: Vec<(&str, bool)> = chronosphere
        .credentials
        .iter()
        .map(|c| (c.name.as_str(), c.secret))
        .collect();
    assert_eq!(credentials, [("tenant", false), ("api_token", true)]);
    assert_eq!(
        chronosphere.auth,
        Auth::Header {
            name: "API-Token".into(),
            value: "{api_token}".into()
        }
    );
    assert_eq!(
        chronosphere.pagination,
        Pagination::Cursor {
            location: ParamLocation::Query,
            cursor_param: "page.token".into(),
            limit_param: Some("page.max_size".into()),
            next_cursor_path: "page.next_token".into(),
        }
    );
    assert_eq!(chronosphere.rate_limit.remaining, ["X-RateLimit-Remaining"]);
    assert_eq!(chronosphere.error_message_path.as_deref(), Some("message"));

    let teams = chronosphere
        .resources
        .iter()
        .find(|r| r.name == "teams")
        .expect("teams");
    assert_eq!(teams.singular, "team");
    assert_eq!(teams.id_field.as_deref(), Some("slug"));
    assert!(
        teams
            .id_description
            .as_deref()
            .is_some_and(|d| d.contains("slug"))
    );
    assert_eq!(
        teams.tags,
        ["admin", "rbac", "teams"],
        "resource tags merged with tool_tags, sorted"
    );
    let SchemaKind::Object(record) = &teams.record.kind else {
        panic!("record must be an object")
    };
    let read_only: BTreeSet<&str> = record
        .properties
        .iter()
        .filter(|(_, s)| s.read_only)
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(read_only, BTreeSet::from(["created_at", "updated_at"]));
    assert!(matches!(
        record.properties["created_at"].kind,
        SchemaKind::String {
            date_time: true,
            ..
        }
    ));
    assert!(
        matches!(&record.properties["user_emails"].kind, SchemaKind::Array(items) if matches!(items.kind, SchemaKind::String { .. }))
    );
    assert_eq!(teams.record.examples.len(), 1);

    let kinds: Vec<&MethodKind> = teams.methods.iter().map(|m| &m.kind).collect();
    assert_eq!(
        kinds,
        [
            &MethodKind::List,
            &MethodKind::Get,
            &MethodKind::Create,
            &MethodKind::Update,
            &MethodKind::Delete
        ]
    );
    let method = |kind: MethodKind| {
        teams
            .methods
            .iter()
            .find(|m| m.kind == kind)
            .expect("method")
    };

    let list = method(MethodKind::List);
    assert_eq!(
        (list.verb, list.path.as_str()),
        (HttpVerb::Get, "/api/v1/config/teams")
    );
    assert_eq!(properties(&list.query), ["names", "slugs"]);
    assert_eq!(
        list.pagination, chronosphere.pagination,
        "list inherits the integration's pagination"
    );
    assert_eq!(list.response_path.as_deref(), Some("teams"));
    assert!(!list.body_record);

    let get = method(MethodKind::Get);
    assert_eq!(
        (get.verb, get.path.as_str()),
        (HttpVerb::Get, "/api/v1/config/teams/{id}")
    );
    assert_eq!(get.pagination, Pagination::None);
    assert_eq!(get.response_path.as_deref(), Some("team"));

    let create = method(MethodKind::Create);
    assert_eq!(
        (create.verb, create.path.as_str()),
        (HttpVerb::Post, "/api/v1/config/teams")
    );
    assert!(create.body_record);
    assert_eq!(create.body_wrapper.as_deref(), Some("team"));
    assert_eq!(properties(&create.body), ["dry_run"]);

    let update = method(MethodKind::Update);
    assert_eq!(
        (update.verb, update.path.as_str()),
        (HttpVerb::Put, "/api/v1/config/teams/{id}")
    );
    assert_eq!(update.body_wrapper.as_deref(), Some("team"));
    assert_eq!(properties(&update.body), ["create_if_missing", "dry_run"]);

    let delete = method(MethodKind::Delete);
    assert_eq!(
        (delete.verb, delete.path.as_str()),
        (HttpVerb::Delete, "/api/v1/config/teams/{id}")
    );
    assert!(!delete.body_record && delete.body_wrapper.is_none());
    assert!(
        teams
            .methods
            .iter()
            .all(|m| !m.description.is_empty() && m.tool_name.is_none())
    );
    assert!(
        teams
            .methods
            .iter()
            .all(|m| properties(&m.path_params).is_empty())
    );
}

#[test]
fn inputs_list_every_file_and_folder_read() {
    let dir = integrations_dir();
    let validated = load_and_validate(&dir, &Selection::default()).expect("valid docs");
    for expected in [
        dir.clone(),
        dir.join("chronosphere"),
        dir.join("chronosphere/integration.yaml"),
        dir.join("chronosphere/resources"),
        dir.join("chronosphere/resources/teams.yaml"),
    ] {
        assert!(
            validated.inputs.contains(&expected),
            "{} missing from {:?}",
            expected.display(),
            validated.inputs
        );
    }
}

#[test]
fn selections_filter_and_unknown_names_are_errors() {
    let dir = integrations_dir();
    let only = |integrations: &[&str], resources: Option<&[&str]>| Selection {
        integrations: Some(integrations.iter().map(|s| (*s).to_owned()).collect()),
        resources: resources.map(|r| r.iter().map(|s| (*s).to_owned()).collect()),
    };
    let validated = load_and_validate(&dir, &only(&["chronosphere"], Some(&["teams"])))
        .expect("valid selection");
    assert_eq!(validated.integrations.len(), 1);
    assert_eq!(validated.integrations[0].resources.len(), 1);

    let diagnostics =
        load_and_validate(&dir, &only(&["chronosfear"], None)).expect_err("unknown integration");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics.0[0].message,
        "selected integration `chronosfear` does not exist"
    );

    let diagnostics = load_and_validate(&dir, &only(&["chronosphere"], Some(&["monitorz"])))
        .expect_err("unknown resource");
    assert!(
        diagnostics.0[0].message.contains("`monitorz`"),
        "{diagnostics}"
    );
}

#[test]
fn a_missing_docs_folder_is_a_diagnostic_not_a_panic() {
    let diagnostics =
        load_and_validate(Path::new("/nonexistent/mcpgen-docs"), &Selection::default())
            .expect_err("no folder");
    assert!(
        diagnostics.0[0].message.starts_with("cannot read folder"),
        "{diagnostics}"
    );
    assert!(diagnostics.to_string().ends_with("1 error"));
}
