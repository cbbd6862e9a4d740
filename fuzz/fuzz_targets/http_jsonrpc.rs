//! Arbitrary requests to the MCP Streamable HTTP endpoint, driven in-process: the router
//! `mcpgen_server::http::router` builds for the Chronosphere catalog, called with
//! `tower::ServiceExt::oneshot` (Host, Origin, size and JSON-RPC shape checks, the direct route,
//! rmcp's sessions and stateless answers). Upstream calls go to a closed loopback port.
//!
//! The input is a script of up to four requests in the format of `mcpgen_fuzz` (request line,
//! headers, body); `{session}` in a header or target is the last `Mcp-Session-Id` the server
//! gave out, so a script can open a session and use it. Input that is not a request is a body,
//! sent with one of three header sets (chosen by its length): plain JSON, 2026-07-28, or
//! 2025-11-25 in the current session. The server must answer every request, never panic, and
//! never answer 5xx.
#![no_main]

use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use http::Request;
use libfuzzer_sys::fuzz_target;
use mcpgen_fuzz::{RawRequest, parse_script, runtime};
use mcpgen_runtime::{Credentials, UpstreamClient, UpstreamConfig};
use mcpgen_server::http::{HttpOptions, router};
use mcpgen_server::{Catalog, McpHandler};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

static INTEGRATION: &mcpgen_runtime::Integration = &mcpgen_chronosphere::INTEGRATION;

/// SSE streams (a session's GET) stay open; the body is read this long, then dropped.
const BODY_WAIT: Duration = Duration::from_millis(200);

fn handler() -> &'static McpHandler {
    static HANDLER: OnceLock<McpHandler> = OnceLock::new();
    HANDLER.get_or_init(|| {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .unwrap_or_else(|error| panic!("cannot find a free port: {error}"));
        let client = UpstreamClient::new(
            INTEGRATION,
            Credentials::new()
                .with("tenant", "acme")
                .with("api_token", "fuzz-api-token"),
            UpstreamConfig {
                base_url: Some(format!("http://127.0.0.1:{port}")),
                timeout: Duration::from_secs(2),
                ..UpstreamConfig::default()
            },
        )
        .unwrap_or_else(|error| panic!("client: {error}"));
        let catalog = Catalog::new(INTEGRATION).unwrap_or_else(|error| panic!("catalog: {error}"));
        McpHandler::new(catalog, client)
    })
}

const BASE: &[(&[u8], &[u8])] = &[
    (b"host", b"localhost:8080"),
    (b"content-type", b"application/json"),
    (b"accept", b"application/json, text/event-stream"),
];

fn default_headers(body: &[u8]) -> Vec<(&'static [u8], &'static [u8])> {
    let mut headers = BASE.to_vec();
    match body.len() % 3 {
        1 => headers.push((b"mcp-protocol-version", b"2026-07-28")),
        2 => {
            headers.push((b"mcp-protocol-version", b"2025-11-25"));
            headers.push((b"mcp-session-id", b"{session}"));
        }
        _ => {}
    }
    headers
}

fuzz_target!(|data: &[u8]| {
    let mut requests = parse_script(data, b"POST", b"/mcp", 4);
    for request in &mut requests {
        if request.headers.is_empty() {
            *request = RawRequest {
                headers: default_headers(request.body),
                ..request.clone()
            };
        }
    }
    let shutdown = CancellationToken::new();
    let app = router(handler().clone(), &HttpOptions::default(), shutdown.clone())
        .unwrap_or_else(|error| panic!("router: {error}"));
    let session = RefCell::new(String::new());
    let fill = |name: &str| (name == "session").then(|| session.borrow().clone());
    runtime().block_on(async {
        for raw in &requests {
            let Some(request): Option<Request<Body>> = raw.build(&fill) else {
                continue;
            };
            let response = match app.clone().oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            let status = response.status();
            assert!(
                !status.is_server_error(),
                "{status} for {:?}",
                String::from_utf8_lossy(raw.body)
            );
            if let Some(id) = response
                .headers()
                .get("mcp-session-id")
                .and_then(|value| value.to_str().ok())
            {
                *session.borrow_mut() = id.to_owned();
            }
            let body = response.into_body();
            let _ = tokio::time::timeout(BODY_WAIT, axum::body::to_bytes(body, usize::MAX)).await;
        }
    });
    // Ends the sessions this input opened, so they do not pile up across runs.
    shutdown.cancel();
});
