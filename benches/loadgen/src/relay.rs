//! `loadgen relay`: the least any MCP server over HTTP does per tool call, to measure the hop.
//!
//! It answers every POST with one upstream GET (same URL every time, with the given headers)
//! and wraps the reply's text in a JSON-RPC `tools/call` result, on the same stack as
//! `mcp-server` (tokio, hyper through axum, reqwest with a pooled client, `TCP_NODELAY`). No
//! protocol checks, no argument decoding, no typed output: what `mcp-server` adds beyond this
//! relay is its own work; what the relay adds beyond the direct call is the extra hop.

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

#[derive(Clone)]
struct Relay {
    http: reqwest::Client,
    upstream: String,
    headers: HeaderMap,
}

/// Serves on `listen` until killed; prints `listening on http://ADDR/mcp` to stderr.
pub(crate) async fn serve(
    listen: &str,
    upstream: String,
    headers: &[(String, String)],
) -> Result<()> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.insert(
            HeaderName::try_from(name.as_str()).context("bad header name")?,
            HeaderValue::try_from(value.as_str()).context("bad header value")?,
        );
    }
    let relay = Relay {
        http: reqwest::Client::new(),
        upstream,
        headers: map,
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot bind {listen}"))?;
    eprintln!("listening on http://{}/mcp", listener.local_addr()?);
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app = axum::Router::new()
        .fallback(axum::routing::post(relay_call))
        .with_state(relay);
    axum::serve(listener, app).await.context("serving")
}

async fn relay_call(State(relay): State<Relay>, body: Bytes) -> Response {
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|request| request.get("id").cloned())
        .unwrap_or(Value::Null);
    let reply = relay
        .http
        .get(&relay.upstream)
        .headers(relay.headers.clone())
        .send()
        .await;
    let text = match reply {
        Ok(reply) => reply.text().await.unwrap_or_default(),
        Err(error) => error.to_string(),
    };
    let message = json!({
        "jsonrpc": "2.0",
        "id": id,
        "result": {"content": [{"type": "text", "text": text}], "isError": false},
    });
    ([(CONTENT_TYPE, "application/json")], message.to_string()).into_response()
}
