//! `--methods` / `--tags` parsing and selection semantics, as tables.
#![allow(clippy::unwrap_used)]

mod common;

use common::DEMO;
use mcpgen_server::{FilterError, MethodSelector, ToolFilter};

fn names(methods: &[&str], tags: &[&str]) -> Result<Vec<&'static str>, FilterError> {
    let filter = ToolFilter::parse(methods, tags)?;
    Ok(filter
        .select(&DEMO)?
        .into_iter()
        .map(|tool| tool.name)
        .collect())
}

#[test]
fn method_selectors_parse() {
    let cases: &[(&str, MethodSelector)] = &[
        ("read", MethodSelector::Read),
        (" write ", MethodSelector::Write),
        ("custom", MethodSelector::Custom),
        ("list", MethodSelector::Named("list".into())),
        ("archive", MethodSelector::Named("archive".into())),
    ];
    for (text, expected) in cases {
        assert_eq!(&text.parse::<MethodSelector>().unwrap(), expected, "{text}");
    }
    for bad in ["", "  ", "rea d", "list;get", "ré"] {
        assert!(
            bad.parse::<MethodSelector>().is_err(),
            "{bad:?} should be rejected"
        );
    }
}

#[test]
fn comma_lists_split_trim_and_dedupe() {
    let filter = ToolFilter::parse(["read, write", "read"], ["inventory,admin"]).unwrap();
    assert_eq!(
        filter.methods(),
        [MethodSelector::Read, MethodSelector::Write]
    );
    assert_eq!(filter.tags(), ["inventory", "admin"]);
    assert_eq!(
        filter.to_string(),
        "methods=read,write tags=inventory,admin"
    );
    assert!(ToolFilter::parse(["read,,write"], [] as [&str; 0]).is_err());
    assert!(matches!(
        ToolFilter::parse([] as [&str; 0], ["inventory,"]),
        Err(FilterError::EmptyEntry { list: "tags" })
    ));
}

#[test]
fn selection_table() {
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (
            &[],
            &[],
            &[
                "list_all_demo_widgets",
                "get_single_demo_widget_by_id",
                "create_a_demo_widget",
                "delete_a_demo_widget_by_id",
                "archive_demo_widgets",
                "explode_demo_gadgets",
            ],
        ),
        (
            &["read"],
            &[],
            &["list_all_demo_widgets", "get_single_demo_widget_by_id"],
        ),
        (
            &["write"],
            &[],
            &["create_a_demo_widget", "delete_a_demo_widget_by_id"],
        ),
        (
            &["custom"],
            &[],
            &["archive_demo_widgets", "explode_demo_gadgets"],
        ),
        (
            &["get", "archive"],
            &[],
            &["get_single_demo_widget_by_id", "archive_demo_widgets"],
        ),
        (
            &["read", "delete"],
            &[],
            &[
                "list_all_demo_widgets",
                "get_single_demo_widget_by_id",
                "delete_a_demo_widget_by_id",
            ],
        ),
        // Tags: any listed tag keeps a tool.
        (
            &[],
            &["admin"],
            &["create_a_demo_widget", "delete_a_demo_widget_by_id"],
        ),
        (
            &[],
            &["admin", "lifecycle"],
            &[
                "create_a_demo_widget",
                "delete_a_demo_widget_by_id",
                "archive_demo_widgets",
                "explode_demo_gadgets",
            ],
        ),
        // Methods AND tags.
        (
            &["write"],
            &["inventory"],
            &["create_a_demo_widget", "delete_a_demo_widget_by_id"],
        ),
        (&["read"], &["admin"], &[]),
        (
            &["custom"],
            &["lifecycle"],
            &["archive_demo_widgets", "explode_demo_gadgets"],
        ),
        (&["delete"], &["admin"], &["delete_a_demo_widget_by_id"]),
    ];
    for (methods, tags, expected) in cases {
        let result = names(methods, tags);
        if expected.is_empty() {
            assert!(
                matches!(result, Err(FilterError::NoMatch { .. })),
                "methods={methods:?} tags={tags:?} should match nothing, got {result:?}"
            );
        } else {
            assert_eq!(
                result.as_deref(),
                Ok(*expected),
                "methods={methods:?} tags={tags:?}"
            );
        }
    }
}

#[test]
fn unknown_names_are_errors_with_hints() {
    let error = names(&["lsit"], &[]).unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, FilterError::UnknownMethod { .. }),
        "{message}"
    );
    assert!(
        message.contains("`lsit`") && message.contains("did you mean `list`"),
        "{message}"
    );
    assert!(
        message.contains("archive"),
        "custom methods are listed as valid: {message}"
    );

    let error = names(&[], &["inventroy"]).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, FilterError::UnknownTag { .. }), "{message}");
    assert!(message.contains("did you mean `inventory`"), "{message}");
    assert!(message.contains("admin, inventory, lifecycle"), "{message}");
}

#[test]
fn no_match_names_the_filter() {
    let message = names(&["read"], &["lifecycle"]).unwrap_err().to_string();
    assert_eq!(
        message,
        "no demo tool matches methods=read tags=lifecycle; widen --methods or --tags"
    );
}

#[test]
fn filters_round_trip_through_json() {
    let filter = ToolFilter::parse(["read", "archive"], ["admin"]).unwrap();
    let text = serde_json::to_string(&filter).unwrap();
    assert_eq!(text, r#"{"methods":["read","archive"],"tags":["admin"]}"#);
    assert_eq!(serde_json::from_str::<ToolFilter>(&text).unwrap(), filter);
    assert_eq!(
        serde_json::from_str::<ToolFilter>("{}").unwrap(),
        ToolFilter::all()
    );
    assert!(serde_json::from_str::<ToolFilter>(r#"{"methods":["no way"]}"#).is_err());
    assert!(serde_json::from_str::<ToolFilter>(r#"{"method":["read"]}"#).is_err());
}
