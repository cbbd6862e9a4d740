//! What the load generator says to an MCP server, and how it judges the answers.
//!
//! Both servers under test get the same protocol pattern ([`Era`]): by default the 2026-07-28
//! stateless era (every POST self-contained, `_meta` and routing headers on each request, no
//! handshake), or, with `--protocol session`, the 2025-11-25 pattern where each virtual client
//! runs `initialize` + `notifications/initialized` once and then reuses its `Mcp-Session-Id`
//! (when the server issues one; a stateless FastMCP does not). Bodies are built from
//! pre-rendered halves so the per-request cost on the client side is a few copies.

use anyhow::{Context, Result, anyhow, bail};
use clap::ValueEnum;
use reqwest::Client;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Value, json};

/// The newest revision, stateless.
pub(crate) const STATELESS_VERSION: &str = "2026-07-28";
/// The last revision with the `initialize` handshake and sessions.
pub(crate) const SESSION_VERSION: &str = "2025-11-25";

/// The protocol pattern every virtual client follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Era {
    /// 2026-07-28: no handshake; `_meta` plus `MCP-Protocol-Version`/`Mcp-Method`/`Mcp-Name`.
    Stateless,
    /// 2025-11-25: `initialize` once per client, then requests on its session.
    Session,
}

impl Era {
    pub(crate) fn version(self) -> &'static str {
        match self {
            Era::Stateless => STATELESS_VERSION,
            Era::Session => SESSION_VERSION,
        }
    }
}

/// The request each virtual client repeats.
#[derive(Debug, Clone)]
pub(crate) enum McpRequest {
    /// One page of `tools/list`: the first without a cursor, later ones with the previous
    /// page's `nextCursor`.
    ListTools { cursor: Option<String> },
    CallTool {
        name: String,
        arguments: Map<String, Value>,
    },
}

impl McpRequest {
    pub(crate) fn method(&self) -> &'static str {
        match self {
            McpRequest::ListTools { .. } => "tools/list",
            McpRequest::CallTool { .. } => "tools/call",
        }
    }

    pub(crate) fn tool(&self) -> Option<&str> {
        match self {
            McpRequest::ListTools { .. } => None,
            McpRequest::CallTool { name, .. } => Some(name),
        }
    }
}

/// One client's ready-made request: fixed headers and the body split around the `id`.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub headers: HeaderMap,
    head: String,
    tail: String,
}

impl Prepared {
    pub(crate) fn new(era: Era, request: &McpRequest, session: Option<&str>) -> Result<Self> {
        let mut params = match request {
            McpRequest::ListTools { cursor } => {
                let mut params = Map::new();
                if let Some(cursor) = cursor {
                    params.insert("cursor".to_owned(), Value::String(cursor.clone()));
                }
                params
            }
            McpRequest::CallTool { name, arguments } => {
                let mut params = Map::new();
                params.insert("name".to_owned(), Value::String(name.clone()));
                params.insert("arguments".to_owned(), Value::Object(arguments.clone()));
                params
            }
        };
        let mut headers = base_headers(era)?;
        if era == Era::Stateless {
            params.insert(
                "_meta".to_owned(),
                json!({
                    "io.modelcontextprotocol/protocolVersion": STATELESS_VERSION,
                    "io.modelcontextprotocol/clientCapabilities": {},
                    "io.modelcontextprotocol/clientInfo": client_info(),
                }),
            );
            headers.insert("mcp-method", HeaderValue::from_static(request.method()));
            if let Some(tool) = request.tool() {
                headers.insert(
                    "mcp-name",
                    HeaderValue::from_str(tool).context("the tool name is not a header value")?,
                );
            }
        }
        if let Some(session) = session {
            headers.insert(
                "mcp-session-id",
                HeaderValue::from_str(session).context("the server's session id is invalid")?,
            );
        }
        let params = serde_json::to_string(&Value::Object(params))?;
        Ok(Self {
            headers,
            head: r#"{"jsonrpc":"2.0","id":"#.to_owned(),
            tail: format!(r#","method":"{}","params":{params}}}"#, request.method()),
        })
    }

    pub(crate) fn body(&self, id: u64) -> String {
        let mut body = String::with_capacity(self.head.len() + self.tail.len() + 20);
        body.push_str(&self.head);
        body.push_str(&id.to_string());
        body.push_str(&self.tail);
        body
    }
}

fn client_info() -> Value {
    json!({"name": "mcpgen-loadgen", "version": env!("CARGO_PKG_VERSION")})
}

fn base_headers(era: Era) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        ACCEPT,
        HeaderValue::from_static("application/json, text/event-stream"),
    );
    headers.insert(
        HeaderName::from_static("mcp-protocol-version"),
        HeaderValue::from_static(era.version()),
    );
    Ok(headers)
}

/// Opens a 2025-11-25 session: `initialize`, then `notifications/initialized`. Returns the
/// session id, or `None` from a server that runs statelessly.
pub(crate) async fn open_session(client: &Client, url: &str) -> Result<Option<String>> {
    let mut headers = base_headers(Era::Session)?;
    // The version header is for requests after initialization.
    headers.remove("mcp-protocol-version");
    let initialize = json!({
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {
            "protocolVersion": SESSION_VERSION,
            "capabilities": {},
            "clientInfo": client_info(),
        }
    });
    let response = client
        .post(url)
        .headers(headers.clone())
        .body(initialize.to_string())
        .send()
        .await
        .context("initialize failed")?;
    let status = response.status();
    let session = response
        .headers()
        .get("mcp-session-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let content_type = content_type(response.headers());
    let body = response.bytes().await.context("initialize reply")?;
    if !status.is_success() {
        bail!(
            "initialize: HTTP {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let reply = decode(&body, &content_type)?;
    if reply.get("result").is_none() {
        bail!("initialize was refused: {reply}");
    }
    headers.insert(
        HeaderName::from_static("mcp-protocol-version"),
        HeaderValue::from_static(SESSION_VERSION),
    );
    if let Some(session) = &session {
        headers.insert(
            "mcp-session-id",
            HeaderValue::from_str(session).context("the server's session id is invalid")?,
        );
    }
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let response = client
        .post(url)
        .headers(headers)
        .body(initialized.to_string())
        .send()
        .await
        .context("notifications/initialized failed")?;
    if !response.status().is_success() {
        bail!("notifications/initialized: HTTP {}", response.status());
    }
    Ok(session)
}

/// Ends a session politely (a server may keep it otherwise).
pub(crate) async fn close_session(client: &Client, url: &str, session: &str) {
    let _ = client
        .delete(url)
        .header("mcp-session-id", session)
        .header("mcp-protocol-version", SESSION_VERSION)
        .send()
        .await;
}

pub(crate) fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The JSON-RPC message in a reply, from a JSON body or the last `data:` event of an SSE one.
pub(crate) fn decode(body: &[u8], content_type: &str) -> Result<Value> {
    serde_json::from_str(message_text(body, content_type)?).context("the reply is not JSON")
}

/// The text of the JSON-RPC message in a reply: the whole body, or the last `data:` event
/// carrying an object when the reply is an SSE stream (earlier events may be priming ones).
pub(crate) fn message_text<'a>(body: &'a [u8], content_type: &str) -> Result<&'a str> {
    let text = std::str::from_utf8(body).context("the reply is not UTF-8")?;
    if content_type.starts_with("text/event-stream") {
        return text
            .lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .map(str::trim)
            .rfind(|data| data.starts_with('{'))
            .ok_or_else(|| anyhow!("an SSE reply with no JSON data event"));
    }
    Ok(text)
}

/// Fully checks the first reply a client gets: a JSON-RPC result, not a tool error, and for
/// `tools/list` at least one tool. Returns how many tools were listed, if it was a list.
pub(crate) fn check_full(
    body: &[u8],
    content_type: &str,
    request: &McpRequest,
) -> Result<Option<usize>> {
    let reply = decode(body, content_type)?;
    let Some(result) = reply.get("result") else {
        bail!("not a result: {}", truncate(&reply.to_string()));
    };
    match request {
        McpRequest::ListTools { .. } => {
            let count = result
                .get("tools")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if count == 0 {
                bail!("tools/list returned no tools");
            }
            Ok(Some(count))
        }
        McpRequest::CallTool { .. } => {
            if result.get("isError") == Some(&Value::Bool(true)) {
                bail!("the tool call failed: {}", truncate(&result.to_string()));
            }
            if result.get("structuredContent").is_none() && result.get("content").is_none() {
                bail!("the tool result has no content");
            }
            Ok(None)
        }
    }
}

/// The hot-path check for every later reply: cheap substring tests on the bytes, so the client
/// spends its time sending rather than parsing what [`check_full`] already proved well-formed.
pub(crate) fn check_quick(body: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(body).context("the reply is not UTF-8")?;
    if !text.contains("\"result\"") {
        bail!("not a result: {}", truncate(text));
    }
    if text.contains("\"isError\":true") || text.contains("\"isError\": true") {
        bail!("the tool call failed: {}", truncate(text));
    }
    Ok(())
}

pub(crate) fn truncate(text: &str) -> String {
    match text.char_indices().nth(300) {
        Some((index, _)) => format!("{}...", &text[..index]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stateless_bodies_carry_meta_and_routing_headers() {
        let request = McpRequest::CallTool {
            name: "get_single_chronosphere_team_by_id".to_owned(),
            arguments: json!({"id": "team-0001"}).as_object().unwrap().clone(),
        };
        let prepared = Prepared::new(Era::Stateless, &request, None).unwrap();
        let body: Value = serde_json::from_str(&prepared.body(42)).unwrap();
        assert_eq!(body["id"], 42);
        assert_eq!(body["method"], "tools/call");
        assert_eq!(body["params"]["arguments"]["id"], "team-0001");
        assert_eq!(
            body["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"],
            STATELESS_VERSION
        );
        assert_eq!(prepared.headers["mcp-method"], "tools/call");
        assert_eq!(
            prepared.headers["mcp-name"],
            "get_single_chronosphere_team_by_id"
        );
        assert_eq!(prepared.headers["mcp-protocol-version"], STATELESS_VERSION);
    }

    #[test]
    fn list_pages_after_the_first_carry_the_cursor() {
        let first = Prepared::new(
            Era::Stateless,
            &McpRequest::ListTools { cursor: None },
            None,
        );
        let body: Value = serde_json::from_str(&first.unwrap().body(1)).unwrap();
        assert!(body["params"].get("cursor").is_none());
        let next = McpRequest::ListTools {
            cursor: Some("page-2".to_owned()),
        };
        let body: Value = serde_json::from_str(
            &Prepared::new(Era::Session, &next, Some("s"))
                .unwrap()
                .body(2),
        )
        .unwrap();
        assert_eq!(body["params"]["cursor"], "page-2");
    }

    #[test]
    fn session_bodies_name_the_session_and_carry_no_meta() {
        let prepared = Prepared::new(
            Era::Session,
            &McpRequest::ListTools { cursor: None },
            Some("abc"),
        )
        .unwrap();
        let body: Value = serde_json::from_str(&prepared.body(1)).unwrap();
        assert!(body["params"].get("_meta").is_none());
        assert_eq!(prepared.headers["mcp-session-id"], "abc");
        assert!(prepared.headers.get("mcp-method").is_none());
    }

    #[test]
    fn sse_replies_decode_from_the_last_data_event() {
        let body = b"event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n";
        let reply = decode(body, "text/event-stream").unwrap();
        assert_eq!(reply["id"], 1);
    }

    #[test]
    fn tool_errors_and_json_rpc_errors_fail_the_checks() {
        let call = McpRequest::CallTool {
            name: "t".to_owned(),
            arguments: Map::new(),
        };
        let failed = br#"{"jsonrpc":"2.0","id":1,"result":{"isError":true,"content":[]}}"#;
        assert!(check_full(failed, "application/json", &call).is_err());
        assert!(check_quick(failed).is_err());
        let error = br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"no"}}"#;
        assert!(check_full(error, "application/json", &call).is_err());
        assert!(check_quick(error).is_err());
        let ok = br#"{"jsonrpc":"2.0","id":1,"result":{"content":[],"structuredContent":{}}}"#;
        assert!(check_full(ok, "application/json", &call).is_ok());
        assert!(check_quick(ok).is_ok());
        let empty_list = br#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#;
        assert!(
            check_full(
                empty_list,
                "application/json",
                &McpRequest::ListTools { cursor: None }
            )
            .is_err()
        );
    }
}
