//! What `build.rs` generated from `docs/inkwell/`, checked in process: the registry the server
//! serves, and the typed inputs and records the client uses.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use common::INKWELL_TOOLS;
use inkwell_mcp::inkwell::{INTEGRATION, notebooks, notes};
use mcpgen_runtime::{AuthSpec, MethodKind};
use serde_json::json;

mod common;

#[test]
fn the_registry_holds_every_documented_method_of_both_resources() {
    assert_eq!(INTEGRATION.name, "inkwell");
    assert!(matches!(
        INTEGRATION.auth,
        AuthSpec::Bearer { token: "{api_key}" }
    ));
    assert_eq!(INTEGRATION.error_message_path, Some("error.message"));
    assert_eq!(INTEGRATION.rate_limit.reset, ["X-Inkwell-RateLimit-Reset"]);
    let names: Vec<&str> = INTEGRATION.tools.iter().map(|tool| tool.name).collect();
    assert_eq!(names, INKWELL_TOOLS);
    let archive = INTEGRATION.tools.last().unwrap();
    assert_eq!(archive.method, MethodKind::Custom("archive"));
    assert_eq!(archive.resource, "notes");
}

#[test]
fn list_tools_take_limit_and_cursor_and_filters() {
    let input: notes::ListAllInkwellNotesInput = serde_json::from_value(json!({
        "notebook_id": "nb_1", "tag": "meeting", "archived": true, "limit": 5, "next_cursor": "2",
    }))
    .unwrap();
    assert_eq!(input.limit, Some(5));
    assert_eq!(input.next_cursor.as_deref(), Some("2"));
    let typo = serde_json::from_value::<notes::ListAllInkwellNotesInput>(json!({"tags": "x"}));
    assert!(typo.unwrap_err().to_string().contains("tags"));
}

#[test]
fn create_requires_what_the_docs_require_and_leaves_read_only_fields_out() {
    let missing = serde_json::from_value::<notes::CreateAInkwellNoteInput>(json!({"title": "t"}));
    assert!(missing.unwrap_err().to_string().contains("notebook_id"));
    let read_only = serde_json::from_value::<notes::CreateAInkwellNoteInput>(
        json!({"notebook_id": "nb_1", "title": "t", "archived": true}),
    );
    assert!(read_only.unwrap_err().to_string().contains("archived"));
    let notebook = notebooks::CreateAInkwellNotebookInput {
        name: "Inbox".into(),
        description: None,
    };
    assert_eq!(
        serde_json::to_value(&notebook).unwrap(),
        json!({"name": "Inbox"})
    );
}

#[test]
fn records_keep_fields_the_docs_do_not_mention() {
    let upstream = json!({
        "id": "note_1", "notebook_id": "nb_1", "title": "Plan", "archived": false,
        "word_count": 120,
    });
    let note: notes::Note = serde_json::from_value(upstream.clone()).unwrap();
    assert_eq!(note.title.as_deref(), Some("Plan"));
    assert_eq!(note.extra["word_count"], 120);
    assert_eq!(serde_json::to_value(&note).unwrap(), upstream);
}
