//! In-process `tools/list` with 1,000 tools: the server's list path without sockets.
//!
//! The synthetic integration copies the five generated Chronosphere tools 200 times under new
//! names (same schemas, plans and handlers), so every tool is as large as a real one. Three
//! layers are timed: cloning the precomputed catalog, that plus JSON serialization of the
//! result, and a whole stateless (2026-07-28) `tools/list` POST through the `/mcp` router (Host
//! and Origin checks, rmcp's stateless dispatch, the JSON body), with no TCP in between.

use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use http::Request;
use mcpgen_runtime::{Credentials, Integration, Tool};
use mcpgen_server::{HttpOptions, Server};
use rmcp::model::ListToolsResult;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

const COPIES: usize = 200;

fn main() {
    divan::main();
}

/// 1,000 tools: the five Chronosphere team tools, copied with numbered names (the figures
/// before the whole API was served were taken on the same 1,000).
static SYNTHETIC: LazyLock<&'static Integration> = LazyLock::new(|| {
    let template = &mcpgen_chronosphere::INTEGRATION;
    let teams: Vec<&'static Tool> = template
        .tools
        .iter()
        .copied()
        .filter(|tool| tool.resource == "teams")
        .collect();
    let mut tools: Vec<&'static Tool> = Vec::with_capacity(COPIES * teams.len());
    for copy in 0..COPIES {
        for tool in &teams {
            let name: &'static str = Box::leak(format!("{}_{copy:03}", tool.name).into_boxed_str());
            tools.push(Box::leak(Box::new(Tool {
                name,
                title: tool.title,
                description: tool.description,
                method: tool.method,
                resource: tool.resource,
                tags: tool.tags,
                input_schema: tool.input_schema,
                output_schema: tool.output_schema,
                annotations: tool.annotations,
                plan: tool.plan,
                handler: tool.handler,
            })));
        }
    }
    Box::leak(Box::new(Integration {
        name: "synthetic",
        display_name: "Synthetic",
        description: "1,000 Chronosphere-shaped tools for the tools/list benchmark.",
        base_url: "http://127.0.0.1:9",
        credentials: template.credentials,
        auth: template.auth,
        rate_limit: template.rate_limit,
        error_message_path: template.error_message_path,
        tools: Box::leak(tools.into_boxed_slice()),
        resources: template.resources,
    }))
});

static SERVER: LazyLock<Server> = LazyLock::new(|| {
    let credentials = Credentials::new()
        .with("tenant", "bench")
        .with("api_token", "bench-token");
    let server = Server::builder(*SYNTHETIC)
        .credentials(credentials)
        .build()
        .unwrap_or_else(|error| panic!("the synthetic server does not build: {error}"));
    assert_eq!(server.catalog().len(), COPIES * 5);
    server
});

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("no tokio runtime: {error}"))
});

static ROUTER: LazyLock<Router> = LazyLock::new(|| {
    let _guard = RUNTIME.enter();
    mcpgen_server::http::router(
        SERVER.handler().clone(),
        &HttpOptions::default(),
        CancellationToken::new(),
    )
    .unwrap_or_else(|error| panic!("no router: {error}"))
});

const LIST_BODY: &str = r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"0"}}}}"#;

fn list_request() -> Request<Body> {
    Request::post("/mcp")
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/list")
        .body(Body::from(LIST_BODY))
        .unwrap_or_else(|error| panic!("bad request: {error}"))
}

async fn list_over_router() -> axum::body::Bytes {
    let response = ROUTER
        .clone()
        .oneshot(list_request())
        .await
        .unwrap_or_else(|error| match error {});
    assert!(response.status().is_success(), "{}", response.status());
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_else(|error| panic!("unreadable body: {error}"))
}

/// The catalog's ready-made tool descriptions, cloned (what `list_tools` starts from).
#[divan::bench]
fn catalog_clone(bencher: divan::Bencher) {
    let catalog = SERVER.catalog();
    bencher.bench(|| catalog.mcp_tools());
}

/// The `tools/list` result built and serialized to JSON: the server's work minus HTTP.
#[divan::bench]
fn result_to_json(bencher: divan::Bencher) {
    let catalog = SERVER.catalog();
    let bytes = serde_json::to_vec(&ListToolsResult::with_all_items(catalog.mcp_tools()))
        .map(|json| json.len())
        .unwrap_or_default();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| serde_json::to_vec(&ListToolsResult::with_all_items(catalog.mcp_tools())));
}

/// A stateless `tools/list` through the `/mcp` router, in process: the first page (at most
/// 512 KiB of tools; 1,000 tools take several pages since lists were paged).
#[divan::bench]
fn http_router_stateless(bencher: divan::Bencher) {
    let first = RUNTIME.block_on(list_over_router());
    let reply: serde_json::Value = serde_json::from_slice(&first)
        .unwrap_or_else(|error| panic!("the reply is not JSON: {error}"));
    let listed = reply["result"]["tools"].as_array().map_or(0, Vec::len);
    let expected = SERVER
        .catalog()
        .page(None)
        .map_or(0, |(tools, _)| tools.len());
    assert_eq!(listed, expected, "the router listed {listed} tools");
    assert!(
        reply["result"]["nextCursor"].is_string(),
        "1,000 tools take more than one page"
    );
    bencher
        .counter(divan::counter::BytesCount::new(first.len()))
        .bench(|| RUNTIME.block_on(list_over_router()));
}
