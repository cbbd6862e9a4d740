//! The direct route answers exactly as rmcp does: every request below goes both ways through
//! one [`Endpoint`] (the direct route in front, and rmcp's service alone), against the real
//! generated Chronosphere tools and the fake upstream, and the replies must match byte for
//! byte. Each request is also checked to take the route it is meant to, so a change that
//! quietly sends everything to rmcp fails here too.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::Request;
use fake_chronosphere::{FakeConfig, FakeHandle};
use mcpgen_runtime::{Credentials, UpstreamClient, UpstreamConfig};
use rmcp::model::ProtocolVersion;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use super::VERSION;
use crate::catalog::Catalog;
use crate::handler::McpHandler;
use crate::http::{Endpoint, HttpOptions, Route};

async fn endpoint() -> (Endpoint, FakeHandle) {
    let mut config = FakeConfig::new("secret");
    config.seed_teams = 3;
    let (_, fake) = fake_chronosphere::spawn(config).await.unwrap();
    let integration = &mcpgen_chronosphere::INTEGRATION;
    let credentials = Credentials::new()
        .with("tenant", "acme")
        .with("api_token", "secret");
    let upstream = UpstreamConfig {
        base_url: Some(fake.url()),
        ..UpstreamConfig::default()
    };
    let client = UpstreamClient::new(integration, credentials, upstream).unwrap();
    let handler = McpHandler::new(Catalog::new(integration).unwrap(), client);
    let options = HttpOptions::new(SocketAddr::from(([127, 0, 0, 1], 8080)));
    let endpoint = Endpoint::new(handler, &options, CancellationToken::new()).unwrap();
    (endpoint, fake)
}

fn meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": VERSION,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "0"}
    })
}

fn call(id: Value, name: &str, arguments: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": name, "arguments": arguments, "_meta": meta()}})
}

fn list(id: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/list", "params": {"_meta": meta()}})
}

/// A stateless POST as a 2026-07-28 client sends it, before `edit` changes it.
fn post(body: &Value, edit: impl FnOnce(&mut http::HeaderMap)) -> Request {
    let method = body["method"].as_str().unwrap_or_default().to_owned();
    let mut request = Request::post("/mcp")
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", VERSION)
        .header("mcp-method", &method)
        .body(Body::from(body.to_string()))
        .unwrap();
    if let Some(name) = body["params"]["name"].as_str() {
        request
            .headers_mut()
            .insert("mcp-name", name.parse().unwrap());
    }
    edit(request.headers_mut());
    request
}

async fn reply(response: axum::response::Response) -> (u16, Option<String>, String) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        content_type,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

/// Sends `make()` through the endpoint without and with the direct route; returns whether the direct
/// route answered, after checking both replies are identical.
async fn compare(endpoint: &Endpoint, make: impl Fn() -> Request) -> (bool, String) {
    let direct = {
        let request = make();
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        endpoint.fast_path.may_answer(&parts.method, &parts.headers)
            && endpoint
                .fast_path
                .answer(&endpoint.handler, &parts, &body)
                .await
                .is_some()
    };
    let by_rmcp = reply(endpoint.route(make(), Route::RmcpOnly).await).await;
    let by_endpoint = reply(endpoint.handle(make()).await).await;
    assert_eq!(by_endpoint, by_rmcp, "the two routes differ");
    (direct, by_rmcp.2)
}

#[tokio::test]
async fn recognised_requests_are_answered_directly_and_exactly_as_rmcp_would() {
    let (endpoint, _fake) = endpoint().await;
    let get = "get_single_chronosphere_team_by_id";
    let cases = [
        list(json!(7)),
        list(json!("a string id with \"quotes\" and é")),
        call(json!(1), get, json!({"id": "team-0002"})),
        // Upstream 404: a result with isError.
        call(json!(2), get, json!({"id": "missing"})),
        // Invalid arguments and unknown tools: JSON-RPC errors.
        call(json!(3), get, json!({"idx": "team-0001"})),
        call(json!(4), "no_such_tool", json!({})),
        call(json!(5), "list_all_chronosphere_teams", json!({"limit": 2})),
        call(
            json!(6),
            "list_all_chronosphere_teams",
            json!({"slugs": ["team-0003"], "names": ["Team 3"]}),
        ),
        json!({"jsonrpc": "2.0", "id": 8, "method": "tools/call",
               "params": {"name": "list_all_chronosphere_teams", "_meta": meta()}}),
        // `_meta` entries rmcp does not route on are ignored by both.
        {
            let mut body = list(json!(9));
            body["params"]["_meta"]["progressToken"] = json!(1);
            body
        },
    ];
    for body in cases {
        let (direct, text) = compare(&endpoint, || post(&body, |_| {})).await;
        assert!(direct, "not answered directly: {body}\nreply: {text}");
        let reply: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(reply["id"], body["id"], "{text}");
    }
}

#[tokio::test]
async fn anything_else_goes_to_rmcp_unchanged() {
    let (endpoint, _fake) = endpoint().await;
    let get = call(
        json!(1),
        "get_single_chronosphere_team_by_id",
        json!({"id": "team-0001"}),
    );
    type Edit = fn(&mut http::HeaderMap);
    let header_cases: [(&str, Edit); 9] = [
        ("an Origin", |h| {
            h.insert("origin", "http://localhost:3000".parse().unwrap());
        }),
        ("an unknown Host", |h| {
            h.insert("host", "evil.example:8080".parse().unwrap());
        }),
        ("a session id", |h| {
            h.insert("mcp-session-id", "abc".parse().unwrap());
        }),
        ("an older revision", |h| {
            h.insert("mcp-protocol-version", "2025-11-25".parse().unwrap());
        }),
        ("no Mcp-Method", |h| {
            h.remove("mcp-method");
        }),
        ("a different Mcp-Name", |h| {
            h.insert("mcp-name", "list_all_chronosphere_teams".parse().unwrap());
        }),
        ("Accept without SSE", |h| {
            h.insert("accept", "application/json".parse().unwrap());
        }),
        ("an Mcp-Param header", |h| {
            h.insert("mcp-param-id", "team-0001".parse().unwrap());
        }),
        ("a second Mcp-Method", |h| {
            h.append("mcp-method", "tools/call".parse().unwrap());
        }),
    ];
    for (case, edit) in header_cases {
        let (direct, text) = compare(&endpoint, || post(&get, edit)).await;
        assert!(!direct, "{case}: answered directly: {text}");
    }

    let mut wrong_version = get.clone();
    wrong_version["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] =
        json!("2025-11-25");
    let mut no_capabilities = get.clone();
    no_capabilities["params"]["_meta"]
        .as_object_mut()
        .unwrap()
        .remove("io.modelcontextprotocol/clientCapabilities");
    let mut numeric_version = get.clone();
    numeric_version["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] = json!(20260728);
    let mut extra_param = get.clone();
    extra_param["params"]["task"] = json!({});
    let mut old_jsonrpc = get.clone();
    old_jsonrpc["jsonrpc"] = json!("1.0");
    let mut cursor = list(json!(2));
    cursor["params"]["cursor"] = json!("x");
    let mut bad_arguments = get.clone();
    bad_arguments["params"]["arguments"] = json!([1]);
    let body_cases = [
        (
            "a _meta version that differs from the header",
            wrong_version,
        ),
        ("a _meta without clientCapabilities", no_capabilities),
        ("a _meta version that is not a string", numeric_version),
        ("an unknown params key", extra_param),
        ("jsonrpc 1.0", old_jsonrpc),
        ("a tools/list cursor", cursor),
        ("non-object arguments", bad_arguments),
        ("a batch", json!([list(json!(3))])),
        (
            "another method",
            json!({"jsonrpc": "2.0", "id": 4, "method": "ping", "params": {"_meta": meta()}}),
        ),
        (
            "a notification",
            json!({"jsonrpc": "2.0", "method": "tools/list", "params": {"_meta": meta()}}),
        ),
    ];
    for (case, body) in body_cases {
        let (direct, text) = compare(&endpoint, || {
            let mut request = post(&body, |_| {});
            if body.is_array() {
                request
                    .headers_mut()
                    .insert("mcp-method", "tools/list".parse().unwrap());
            }
            request
        })
        .await;
        assert!(!direct, "{case}: answered directly: {text}");
    }
}

#[tokio::test]
async fn a_body_over_the_cap_gets_rmcps_413_not_a_direct_answer() {
    let (endpoint, _fake) = endpoint().await;
    let padding = "x".repeat(crate::connections::DEFAULT_MAX_REQUEST_BODY_BYTES);
    let body = call(
        json!(1),
        "get_single_chronosphere_team_by_id",
        json!({"id": padding}),
    );
    let response = endpoint.handle(post(&body, |_| {})).await;
    assert_eq!(response.status(), 413);
}

#[test]
fn the_served_revision_is_rmcps_2026_07_28() {
    assert_eq!(VERSION, ProtocolVersion::V_2026_07_28.as_str());
}
