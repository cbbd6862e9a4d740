//! What `tools/list` advertises: names, titles, parsed schemas and explicit annotations, for
//! both protocol eras, and the same list from the `tools --json` inventory.
#![allow(clippy::unwrap_used)]

mod common;

use common::{DEMO, PipeClient, credentials, modern_meta, server, wide_integration};
use mcpgen_server::{Catalog, LIST_PAGE_BYTES, Server, ToolFilter};
use serde_json::{Value, json};

fn tool<'a>(tools: &'a [Value], name: &str) -> &'a Value {
    tools
        .iter()
        .find(|tool| tool["name"] == name)
        .unwrap_or_else(|| panic!("{name} is listed"))
}

#[tokio::test]
async fn legacy_list_has_every_tool_with_schemas_titles_and_hints() {
    let mut client = PipeClient::initialized(server(ToolFilter::all())).await;
    let reply = client.request("tools/list", json!({})).await;
    let result = &reply["result"];
    let tools = result["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, DEMO.tools.iter().map(|t| t.name).collect::<Vec<_>>());
    // 2025-11-25 results carry no 2026 fields.
    assert!(
        result.get("ttlMs").is_none() && result.get("resultType").is_none(),
        "{result}"
    );
    assert!(result.get("nextCursor").is_none());

    let get = tool(tools, "get_single_demo_widget_by_id");
    assert_eq!(get["title"], "Get a Demo widget");
    assert_eq!(get["description"], "Gets one widget by its slug.");
    assert_eq!(get["inputSchema"]["required"], json!(["id"]));
    assert_eq!(
        get["inputSchema"]["properties"]["id"]["description"],
        "the widget's slug"
    );
    assert_eq!(get["outputSchema"], json!({"type": "object"}));
    assert_eq!(
        get["annotations"],
        json!({"title": "Get a Demo widget", "readOnlyHint": true, "destructiveHint": false,
               "idempotentHint": true, "openWorldHint": true})
    );

    let delete = tool(tools, "delete_a_demo_widget_by_id");
    assert_eq!(delete["annotations"]["destructiveHint"], true);
    assert_eq!(delete["annotations"]["readOnlyHint"], false);
    let create = tool(tools, "create_a_demo_widget");
    assert_eq!(create["annotations"]["idempotentHint"], false);
    let explode = tool(tools, "explode_demo_gadgets");
    assert_eq!(explode["annotations"]["openWorldHint"], false);
}

#[tokio::test]
async fn modern_list_carries_cache_hints_and_result_type() {
    let mut client = PipeClient::start(server(
        ToolFilter::parse(["read"], [] as [&str; 0]).unwrap(),
    ));
    let reply = client
        .request("tools/list", json!({"_meta": modern_meta()}))
        .await;
    let result = &reply["result"];
    assert_eq!(result["resultType"], "complete", "{reply}");
    assert_eq!(result["ttlMs"], 300_000);
    assert_eq!(result["cacheScope"], "public");
    assert_eq!(result["tools"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn discover_reports_tools_capability_and_both_eras() {
    let mut client = PipeClient::start(server(ToolFilter::all()));
    let reply = client
        .request("server/discover", json!({"_meta": modern_meta()}))
        .await;
    let result = &reply["result"];
    assert!(result["capabilities"]["tools"].is_object(), "{reply}");
    let versions = result["supportedVersions"].as_array().unwrap();
    assert!(
        versions.contains(&json!("2025-11-25")) && versions.contains(&json!("2026-07-28")),
        "{versions:?}"
    );
    assert_eq!(
        result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "mcpgen-demo"
    );
    // A discover probe does not commit the connection: the handshake still works after it.
    let reply = client
        .request("initialize", json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}))
        .await;
    assert_eq!(
        reply["result"]["capabilities"]["tools"],
        json!({}),
        "{reply}"
    );
    assert_eq!(reply["result"]["serverInfo"]["title"], "Demo");
}

#[tokio::test]
async fn the_filter_shapes_the_list_and_cursors_are_rejected() {
    let mut client = PipeClient::initialized(server(
        ToolFilter::parse(["custom"], ["lifecycle"]).unwrap(),
    ))
    .await;
    let reply = client.request("tools/list", json!({})).await;
    let names: Vec<&str> = reply["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["archive_demo_widgets", "explode_demo_gadgets"]);
    let reply = client
        .request("tools/list", json!({"cursor": "page-2"}))
        .await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
}

/// Every page of `tools/list` from the first, by following `nextCursor`.
async fn all_pages(client: &mut PipeClient, meta: Option<Value>) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut params = json!({});
        if let Some(cursor) = &cursor {
            params["cursor"] = json!(cursor);
        }
        if let Some(meta) = &meta {
            params["_meta"] = meta.clone();
        }
        let reply = client.request("tools/list", params).await;
        let result = reply["result"].clone();
        assert!(result.is_object(), "{reply}");
        cursor = result["nextCursor"].as_str().map(str::to_owned);
        pages.push(result);
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() < 100, "the cursors never end");
    }
}

#[tokio::test]
async fn a_big_list_comes_in_pages_within_the_byte_budget_in_both_eras() {
    // 60 tools of 30 KB: 1.8 MB in all, more than a 1 MiB client buffer.
    let integration = wide_integration(60, 30_000);
    let wide = || {
        Server::builder(integration)
            .credentials(credentials())
            .build()
            .unwrap()
    };
    let expected: Vec<&str> = integration.tools.iter().map(|t| t.name).collect();
    for modern in [false, true] {
        let (mut client, meta) = if modern {
            (PipeClient::start(wide()), Some(modern_meta()))
        } else {
            (PipeClient::initialized(wide()).await, None)
        };
        let pages = all_pages(&mut client, meta.clone()).await;
        assert!(pages.len() >= 4, "{} pages", pages.len());
        let mut names = Vec::new();
        for page in &pages {
            let tools = page["tools"].as_array().unwrap();
            assert!(!tools.is_empty());
            assert!(
                serde_json::to_vec(tools).unwrap().len() <= LIST_PAGE_BYTES,
                "a page over budget"
            );
            names.extend(tools.iter().map(|t| t["name"].as_str().unwrap().to_owned()));
        }
        assert_eq!(
            names, expected,
            "every tool once, in order (modern: {modern})"
        );

        // Only cursors the server handed out are taken: not a page's middle, not the start.
        for forged in ["1", "0", "999", "-1", "page-2", ""] {
            let mut params = json!({"cursor": forged});
            if let Some(meta) = &meta {
                params["_meta"] = meta.clone();
            }
            let reply = client.request("tools/list", params).await;
            assert_eq!(reply["error"]["code"], -32602, "{forged}: {reply}");
            assert!(
                reply["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("invalid cursor"),
                "{reply}"
            );
        }
    }
}

#[test]
fn inventory_json_is_the_tools_list_payload() {
    let catalog = Catalog::new(&DEMO).unwrap();
    let listed: Value = serde_json::from_str(&mcpgen_server::inventory::json(
        std::slice::from_ref(&catalog),
    ))
    .unwrap();
    let expected = serde_json::to_value(catalog.mcp_tools()).unwrap();
    assert_eq!(listed, expected);
    assert_eq!(listed.as_array().unwrap().len(), DEMO.tools.len());
}

#[test]
fn inventory_table_shows_name_method_hints_and_first_description_line() {
    let catalog = Catalog::new(&DEMO)
        .unwrap()
        .select(&ToolFilter::parse(["list", "delete"], [] as [&str; 0]).unwrap())
        .unwrap();
    let table = mcpgen_server::inventory::table(std::slice::from_ref(&catalog));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("METHOD") && lines[0].contains("HINTS")
    );
    let list: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(
        &list[..4],
        [
            "list_all_demo_widgets",
            "list",
            "read-only,idempotent",
            "Lists"
        ],
        "{table}"
    );
    assert!(
        !table.contains("Pages with next_cursor"),
        "only the first description line: {table}"
    );
    assert!(lines[2].contains("destructive,idempotent"), "{table}");
    assert_eq!(lines[3], "2 tools from demo");
}

#[test]
fn a_broken_schema_stops_start_up() {
    use mcpgen_runtime::{Integration, Tool};
    static BROKEN: Tool = Tool {
        name: "broken_demo_tool",
        title: "Broken",
        description: "Has an array input schema.",
        method: mcpgen_runtime::MethodKind::Get,
        resource: "widgets",
        tags: &[],
        input_schema: r#"{"type":"array"}"#,
        output_schema: "{}",
        annotations: common::READ,
        plan: common::plan(
            mcpgen_runtime::HttpVerb::Get,
            mcpgen_runtime::OutputShape::Record,
        ),
        handler: common::get_widget,
    };
    static BROKEN_INTEGRATION: Integration = Integration {
        name: "broken",
        display_name: "Broken",
        description: "",
        base_url: "http://127.0.0.1:9",
        credentials: &[],
        auth: mcpgen_runtime::AuthSpec::None,
        rate_limit: mcpgen_runtime::RateLimitSpec {
            limit: &[],
            remaining: &[],
            reset: &[],
        },
        error_message_path: None,
        tools: &[&BROKEN],
        resources: &[],
    };
    let error = Catalog::new(&BROKEN_INTEGRATION).unwrap_err().to_string();
    assert!(
        error.contains("broken_demo_tool") && error.contains("input schema"),
        "{error}"
    );
}
