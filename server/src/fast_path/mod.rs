//! A direct route for the two requests a 2026-07-28 client sends most: a stateless
//! `tools/list` or `tools/call` POST with its `_meta` and routing headers in order.
//!
//! rmcp answers such a request by re-serializing it to check the `Mcp-*` headers, spawning a
//! one-shot service for it and serializing the reply through its generic message types; for a
//! small call that is most of the server's time, and for a 1,000-tool list it means encoding
//! megabytes per request. This module answers the request itself: the tool list from the
//! handler's once-encoded JSON, a call by running the tool and writing the reply around one
//! encoding of its output.
//!
//! It only answers what it fully recognises. Anything else (another method or revision, a
//! session header, an `Origin`, a `Host` it does not know, a malformed or unusual body or
//! `_meta`, `Mcp-Param-*` headers) goes to rmcp untouched, so rmcp stays the one authority on
//! every rejection and on both eras' protocol rules. The replies match rmcp's byte for byte;
//! `fast_path/tests.rs` compares the two on the same requests.

use axum::body::Bytes;
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_TYPE, HOST, ORIGIN};
use http::{HeaderMap, HeaderValue, request::Parts};
use rmcp::model::{
    CallToolResponse, ClientCapabilities, JsonObject, RequestId, ServerJsonRpcMessage, ServerResult,
};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::handler::{CallOutcome, McpHandler};

/// The one revision this path serves (`ProtocolVersion::V_2026_07_28`; a test keeps them
/// equal); newer ones go to rmcp until they are checked here.
const VERSION: &str = "2026-07-28";

/// Which requests may take the direct route: those whose `Host` rmcp would accept too.
#[derive(Debug, Clone)]
pub(crate) struct FastPath {
    hosts: Vec<Authority>,
}

/// A `Host` as rmcp compares it: lowercase name without brackets, and a port if one was given.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Authority {
    host: String,
    port: Option<u16>,
}

impl Authority {
    fn parse(text: &str) -> Option<Self> {
        let authority = http::uri::Authority::try_from(text.trim()).ok()?;
        Some(Self {
            host: authority
                .host()
                .trim_matches(['[', ']'])
                .to_ascii_lowercase(),
            port: authority.port_u16(),
        })
    }

    /// An allowed entry without a port matches any port.
    fn allows(&self, host: &Authority) -> bool {
        self.host == host.host && self.port.is_none_or(|port| host.port == Some(port))
    }
}

/// A recognised request: its id and what it asks for.
struct Recognised<'a> {
    id: RequestId,
    call: Call<'a>,
}

enum Call<'a> {
    ListTools,
    CallTool {
        name: &'a str,
        arguments: JsonObject,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    jsonrpc: &'a str,
    id: RequestId,
    method: &'a str,
    #[serde(borrow)]
    params: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams<'a> {
    #[serde(rename = "_meta", borrow)]
    meta: RequestMeta<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallParams<'a> {
    name: &'a str,
    #[serde(default)]
    arguments: Option<JsonObject>,
    #[serde(rename = "_meta", borrow)]
    meta: RequestMeta<'a>,
}

/// The `_meta` entries rmcp routes on (`RequestMetaObject::missing_required_keys`); other
/// entries are ignored, as rmcp ignores them. A present entry that does not decode fails the
/// parse, which hands the request to rmcp.
#[derive(Deserialize)]
struct RequestMeta<'a> {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", borrow)]
    protocol_version: Option<&'a str>,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities")]
    client_capabilities: Option<ClientCapabilities>,
}

impl FastPath {
    /// `allowed_hosts` is the list rmcp is configured with; entries it cannot parse are
    /// skipped here too, so they admit nothing.
    pub(crate) fn new(allowed_hosts: &[String]) -> Self {
        Self {
            hosts: allowed_hosts
                .iter()
                .filter_map(|host| Authority::parse(host))
                .collect(),
        }
    }

    /// Whether the request line and headers allow the direct route; the body decides the rest.
    pub(crate) fn may_answer(&self, method: &http::Method, headers: &HeaderMap) -> bool {
        method == http::Method::POST
            && headers.get(ORIGIN).is_none()
            && headers.get("mcp-session-id").is_none()
            && single(headers, "mcp-protocol-version").is_some_and(|v| v == VERSION)
            && is_json(headers.get(CONTENT_TYPE))
            && accepts_json_and_sse(headers)
            && !headers
                .keys()
                .any(|name| name.as_str().starts_with("mcp-param-"))
            && single(headers, HOST.as_str())
                .and_then(|host| host.to_str().ok())
                .and_then(Authority::parse)
                .is_some_and(|host| self.hosts.iter().any(|allowed| allowed.allows(&host)))
    }

    /// The answer to a request [`Self::may_answer`] admitted, or `None` to hand it to rmcp.
    pub(crate) async fn answer(
        &self,
        handler: &McpHandler,
        parts: &Parts,
        body: &[u8],
    ) -> Option<Response> {
        let request = recognise(&parts.headers, body)?;
        let json = match request.call {
            Call::ListTools => list_reply(&request.id, handler.modern_list_json()?),
            Call::CallTool { name, arguments } => {
                let outcome = handler.run_tool(name, arguments).await;
                call_reply(request.id, outcome)?
            }
        };
        Some(
            (
                [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                json,
            )
                .into_response(),
        )
    }
}

/// Parses `body` and checks it against the routing headers, exactly as strictly as rmcp
/// would accept it (or more so).
fn recognise<'a>(headers: &HeaderMap, body: &'a [u8]) -> Option<Recognised<'a>> {
    let envelope: Envelope<'a> = serde_json::from_slice(body).ok()?;
    if envelope.jsonrpc != "2.0" || single(headers, "mcp-method")? != envelope.method {
        return None;
    }
    let (call, meta) = match envelope.method {
        "tools/list" => {
            if headers.get("mcp-name").is_some() {
                return None;
            }
            let params: ListParams<'a> = serde_json::from_str(envelope.params.get()).ok()?;
            (Call::ListTools, params.meta)
        }
        "tools/call" => {
            let params: CallParams<'a> = serde_json::from_str(envelope.params.get()).ok()?;
            if single(headers, "mcp-name")? != params.name {
                return None;
            }
            let call = Call::CallTool {
                name: params.name,
                arguments: params.arguments.unwrap_or_default(),
            };
            (call, params.meta)
        }
        _ => return None,
    };
    let complete = meta.client_capabilities.is_some() && meta.protocol_version == Some(VERSION);
    complete.then_some(Recognised {
        id: envelope.id,
        call,
    })
}

/// The header's value when it is present exactly once.
fn single<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h HeaderValue> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?;
    values.next().is_none().then_some(first)
}

/// Both media types listed without weights; anything fancier is left to rmcp's parser.
fn accepts_json_and_sse(headers: &HeaderMap) -> bool {
    let (mut json, mut sse) = (false, false);
    for value in headers.get_all(ACCEPT) {
        let Ok(value) = value.to_str() else {
            return false;
        };
        for range in value.split(',') {
            if range.contains(['"', ';']) {
                return false;
            }
            let range = range.trim();
            json |= range.eq_ignore_ascii_case("application/json");
            sse |= range.eq_ignore_ascii_case("text/event-stream");
        }
    }
    json && sse
}

/// `{"jsonrpc":"2.0","id":ID,"result":LIST}` around the cached list.
fn list_reply(id: &RequestId, list: &Bytes) -> Vec<u8> {
    let mut json = Vec::with_capacity(list.len() + 64);
    json.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
    write_json(&mut json, id);
    json.extend_from_slice(br#","result":"#);
    json.extend_from_slice(list);
    json.push(b'}');
    json
}

/// A success is written around one encoding of the output, which serves as both the text
/// block (escaped) and `structuredContent` (verbatim), as `CallToolResult::structured` lays
/// them out. The rarer outcomes go through rmcp's own message types.
fn call_reply(id: RequestId, outcome: CallOutcome) -> Option<Vec<u8>> {
    let message = match outcome {
        CallOutcome::Output(output) => return Some(success_reply(&id, &output)),
        CallOutcome::Failed(result) => {
            ServerJsonRpcMessage::response(ServerResult::from(CallToolResponse::from(result)), id)
        }
        CallOutcome::Refused(error) => ServerJsonRpcMessage::error(error, Some(id)),
    };
    serde_json::to_vec(&message).ok()
}

fn success_reply(id: &RequestId, output: &Value) -> Vec<u8> {
    let text = output.to_string();
    let mut json = Vec::with_capacity(2 * text.len() + 160);
    json.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
    write_json(&mut json, id);
    json.extend_from_slice(
        br#","result":{"resultType":"complete","content":[{"type":"text","text":"#,
    );
    write_json(&mut json, text.as_str());
    json.extend_from_slice(br#"}],"structuredContent":"#);
    json.extend_from_slice(text.as_bytes());
    json.extend_from_slice(br#","isError":false}}"#);
    json
}

/// Writing a string or an id into a `Vec` cannot fail.
fn write_json<T: serde::Serialize + ?Sized>(json: &mut Vec<u8>, value: &T) {
    if let Err(error) = serde_json::to_writer(json, value) {
        tracing::error!(%error, "cannot encode a reply fragment");
    }
}

#[cfg(test)]
mod tests;

/// Whether a `Content-Type` is `application/json` (any parameters).
pub(crate) fn is_json(content_type: Option<&HeaderValue>) -> bool {
    content_type
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let essence = value.split_once(';').map_or(value, |(essence, _)| essence);
            essence.trim().eq_ignore_ascii_case("application/json")
        })
}
