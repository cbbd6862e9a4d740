//! `tools/call` outcomes over the stdio transport: success, upstream failure (`isError`), and the
//! JSON-RPC `-32602` paths; the server keeps answering after each, panics included.
#![allow(clippy::unwrap_used)]

mod common;

use common::{PipeClient, modern_meta, server};
use mcpgen_server::ToolFilter;
use serde_json::{Value, json};

#[tokio::test]
async fn success_has_structured_content_and_the_same_json_as_text() {
    let mut client = PipeClient::initialized(server(ToolFilter::all())).await;
    let reply = client
        .call("get_single_demo_widget_by_id", json!({"id": "w1"}))
        .await;
    let result = &reply["result"];
    assert_eq!(result["isError"], false, "{reply}");
    assert_eq!(
        result["structuredContent"],
        json!({"slug": "w1", "name": "Widget"})
    );
    let content = result["content"].as_array().unwrap();
    assert_eq!(content.len(), 1);
    assert_eq!(content[0]["type"], "text");
    let text: Value = serde_json::from_str(content[0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text, result["structuredContent"]);
}

#[tokio::test]
async fn upstream_errors_are_results_with_is_error_and_rate_limits() {
    let mut client = PipeClient::initialized(server(ToolFilter::all())).await;
    let reply = client
        .call("get_single_demo_widget_by_id", json!({"id": "limited"}))
        .await;
    let result = &reply["result"];
    assert_eq!(result["isError"], true, "{reply}");
    assert_eq!(
        result["structuredContent"],
        json!({"error": {"kind": "upstream_status", "status": 429, "message": "too many requests for this tenant",
                         "ratelimit-limit": 100, "ratelimit-remaining": 0, "ratelimit-reset": 30}})
    );
    let text = result["content"][0]["text"].as_str().unwrap();
    for needle in [
        "429",
        "too many requests for this tenant",
        "ratelimit-limit: 100",
        "ratelimit-remaining: 0",
        "ratelimit-reset: 30",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from {text:?}");
    }
}

#[tokio::test]
async fn invalid_arguments_are_invalid_params_naming_the_field() {
    let mut client = PipeClient::initialized(server(ToolFilter::all())).await;
    let reply = client
        .call("get_single_demo_widget_by_id", json!({"id": 7}))
        .await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
    assert!(
        reply["error"]["message"].as_str().unwrap().contains("`id`"),
        "{reply}"
    );
    assert!(reply.get("result").is_none());
}

#[tokio::test]
async fn missing_arguments_are_treated_as_an_empty_object() {
    let mut client = PipeClient::initialized(server(ToolFilter::all())).await;
    let reply = client
        .request("tools/call", json!({"name": "list_all_demo_widgets"}))
        .await;
    assert_eq!(
        reply["result"]["structuredContent"]["result"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "{reply}"
    );
    // ... and a required field then names itself.
    let reply = client
        .request(
            "tools/call",
            json!({"name": "get_single_demo_widget_by_id"}),
        )
        .await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("missing field `id`"),
        "{reply}"
    );
    let reply = client.call("archive_demo_widgets", json!({})).await;
    assert_eq!(
        reply["result"]["structuredContent"],
        json!({"received": {}}),
        "{reply}"
    );
}

#[tokio::test]
async fn unknown_and_filtered_out_tools_are_invalid_params() {
    let mut client = PipeClient::initialized(server(
        ToolFilter::parse(["read"], [] as [&str; 0]).unwrap(),
    ))
    .await;
    let reply = client
        .call("get_single_demo_widget_by_idd", json!({"id": "x"}))
        .await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
    let message = reply["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("did you mean `get_single_demo_widget_by_id`"),
        "{message}"
    );

    // The tool exists in the integration but the filter hides it: it cannot be called, and no
    // hint points at it.
    let reply = client
        .call("delete_a_demo_widget_by_id", json!({"id": "w1"}))
        .await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
    let reply = client
        .call("delete_a_demo_widget_by_ix", json!({"id": "w1"}))
        .await;
    assert!(
        !reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean"),
        "{reply}"
    );

    let reply = client
        .call("get_single_demo_widget_by_id", json!({"id": "still-alive"}))
        .await;
    assert_eq!(reply["result"]["structuredContent"]["slug"], "still-alive");
}

#[tokio::test]
async fn a_panicking_handler_is_an_internal_error_not_a_crash() {
    let mut client = PipeClient::initialized(server(ToolFilter::all())).await;
    let reply = client.call("explode_demo_gadgets", json!({})).await;
    assert_eq!(reply["error"]["code"], -32603, "{reply}");
    let reply = client
        .call("get_single_demo_widget_by_id", json!({"id": "after-panic"}))
        .await;
    assert_eq!(
        reply["result"]["structuredContent"]["slug"], "after-panic",
        "{reply}"
    );
    assert!(!client.task.is_finished());
}

#[tokio::test]
async fn garbage_on_stdin_does_not_stop_the_server() {
    let mut client = PipeClient::initialized(server(ToolFilter::all())).await;
    client.send_raw("this is not json").await;
    client
        .send_raw(r#"{"jsonrpc":"2.0","id":"weird","params":{}}"#)
        .await;
    let reply = client.request("tools/call", json!({"name": 5})).await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
    let reply = client.request("no/such/method", json!({})).await;
    assert_eq!(reply["error"]["code"], -32601, "{reply}");
    let reply = client
        .call("get_single_demo_widget_by_id", json!({"id": "ok"}))
        .await;
    assert_eq!(
        reply["result"]["structuredContent"]["slug"], "ok",
        "{reply}"
    );
}

#[tokio::test]
async fn stray_messages_before_the_handshake_are_ignored() {
    let mut client = PipeClient::start(server(ToolFilter::all()));
    client
        .send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        .await;
    client
        .send(json!({"jsonrpc": "2.0", "id": 99, "result": {}}))
        .await;
    let reply = client
        .request(
            "initialize",
            json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}),
        )
        .await;
    assert_eq!(reply["result"]["protocolVersion"], "2025-11-25", "{reply}");
}

#[tokio::test]
async fn modern_calls_need_no_handshake() {
    let mut client = PipeClient::start(server(ToolFilter::all()));
    let reply = client
        .request("tools/call", json!({"name": "get_single_demo_widget_by_id", "arguments": {"id": "m"}, "_meta": modern_meta()}))
        .await;
    let result = &reply["result"];
    assert_eq!(result["resultType"], "complete", "{reply}");
    assert_eq!(
        result["structuredContent"],
        json!({"slug": "m", "name": "Widget"})
    );

    let reply = client
        .request(
            "tools/call",
            json!({"name": "nope", "arguments": {}, "_meta": modern_meta()}),
        )
        .await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
}

#[tokio::test]
async fn closing_stdin_ends_the_server_cleanly() {
    let client = PipeClient::start(server(ToolFilter::all()));
    let PipeClient {
        writer,
        lines,
        task,
        ..
    } = client;
    drop(writer);
    drop(lines);
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
    assert!(outcome.is_ok(), "{outcome:?}");
}
