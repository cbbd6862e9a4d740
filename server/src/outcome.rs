//! How a tool call's outcome becomes an MCP answer, in exactly one place.
//!
//! The split follows MCP: a request the server cannot route or whose arguments do not fit the
//! tool's input is a JSON-RPC `-32602` error; everything that happens once the upstream is
//! involved (non-2xx, timeouts, oversized or non-JSON replies) is a tool result with
//! `isError: true`, so the agent reads the reason and decides what to do next.

use mcpgen_runtime::UpstreamError;
use rmcp::ErrorData;
use rmcp::model::{CallToolResult, ContentBlock, ErrorCode};
use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::filter::suggest;

/// Success: the output as `structuredContent` plus the same JSON as one text block for clients
/// that ignore structured content.
pub(crate) fn success(output: Value) -> CallToolResult {
    CallToolResult::structured(output)
}

/// An upstream failure: the human message (status, upstream message, `ratelimit-*` values) as
/// text, and [`UpstreamError::to_json`] as structured content.
pub(crate) fn upstream_failure(error: &UpstreamError) -> CallToolResult {
    let mut result = CallToolResult::error(vec![ContentBlock::text(error.to_string())]);
    result.structured_content = Some(error.to_json());
    result
}

/// Arguments that do not fit the tool's input; `message` names the field.
pub(crate) fn invalid_arguments(tool: &str, message: String) -> ErrorData {
    ErrorData::invalid_params(message, Some(json!({ "tool": tool })))
}

/// A tool that does not exist or that this server's filters hide. Suggestions come only from
/// the visible tools, so a hidden tool's name never leaks.
pub(crate) fn unknown_tool(name: &str, catalog: &Catalog) -> ErrorData {
    let hint = suggest(name, catalog.entries().iter().map(|entry| entry.tool.name))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    ErrorData::invalid_params(
        format!("unknown tool `{name}`{hint}; call tools/list for the tools this server provides"),
        Some(json!({ "tool": name })),
    )
}

/// A handler that panicked: reported, never fatal to the server.
pub(crate) fn handler_panicked(tool: &str) -> ErrorData {
    ErrorData::internal_error(
        format!("tool `{tool}` failed unexpectedly; the server logged the details"),
        Some(json!({ "tool": tool })),
    )
}

/// A request rmcp could not decode as any method it knows: a known method with malformed
/// params is `-32602` naming the problem; anything else is `-32601`.
pub(crate) fn unroutable(method: &str, params: Option<&Value>) -> ErrorData {
    // Only the methods this server implements get -32602; `initialize` and the rest stay
    // -32601, which 2026-07-28 requires for the methods it removed.
    const KNOWN: &[&str] = &["tools/list", "tools/call"];
    if !KNOWN.contains(&method) {
        return ErrorData::new(
            ErrorCode::METHOD_NOT_FOUND,
            format!("method not found: `{method}`"),
            None,
        );
    }
    let problem = match (method, params) {
        ("tools/call", None) => "`params` with the tool `name` is required".to_owned(),
        ("tools/call", Some(params)) => match params.get("name") {
            None => "`name` is required".to_owned(),
            Some(name) if !name.is_string() => {
                format!("`name` must be a string, not {}", kind(name))
            }
            Some(_) => match params.get("arguments") {
                Some(arguments) if !arguments.is_object() && !arguments.is_null() => {
                    format!("`arguments` must be an object, not {}", kind(arguments))
                }
                _ => "the params do not match the method".to_owned(),
            },
        },
        _ => "the params do not match the method".to_owned(),
    };
    ErrorData::invalid_params(format!("invalid params for `{method}`: {problem}"), None)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
