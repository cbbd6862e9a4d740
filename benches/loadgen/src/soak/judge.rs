//! How the soak judges one answered request, as a pure function of what came back.
//!
//! Every reply is decoded in full, unlike `loadgen run`'s byte checks: a soak is after the one
//! reply in a hundred thousand that is wrong, not after the client's throughput. The reply is
//! decoded into small typed structs that skip what they do not name, so a 512 KiB `tools/list`
//! page costs a scan, not a tree of `Value`s.

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::protocol::{message_text, truncate};

/// What the soak asked for, and so what a correct answer looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A page of `tools/list`: a non-empty `tools` array, maybe a `nextCursor`.
    ToolsPage,
    /// A tool call on a record that exists: a result, or an injected 429 as a tool error.
    ToolOk,
    /// A tool call on a record that does not exist: the upstream's 404 as a tool error (or an
    /// injected 429, which the upstream checks first).
    ToolNotFound,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Page {
        names: Vec<String>,
        next_cursor: Option<String>,
    },
    ToolOk,
    /// `isError: true` that the soak caused: an injected 429, or the 404 of a missing record.
    ExpectedToolError {
        status: u16,
    },
    /// A well-formed reply with the wrong outcome: a tool error nobody injected, or a success
    /// where the record does not exist.
    UnexpectedTool(String),
    /// A reply that breaks the protocol: HTTP status, framing, JSON, JSON-RPC or result shape.
    Protocol(String),
}

#[derive(Deserialize)]
struct Envelope {
    jsonrpc: Option<String>,
    id: Option<Value>,
    result: Option<ResultBody>,
    error: Option<Value>,
}

#[derive(Deserialize)]
struct ResultBody {
    tools: Option<Vec<ToolName>>,
    #[serde(rename = "nextCursor")]
    next_cursor: Option<String>,
    #[serde(rename = "isError")]
    is_error: Option<bool>,
    content: Option<Vec<IgnoredAny>>,
    #[serde(rename = "structuredContent")]
    structured_content: Option<Structured>,
}

#[derive(Deserialize)]
struct ToolName {
    name: String,
}

/// A tool result's structured content; only an error's fields matter here.
#[derive(Deserialize)]
struct Structured {
    error: Option<ToolError>,
}

#[derive(Deserialize)]
struct ToolError {
    kind: Option<String>,
    status: Option<u16>,
    message: Option<String>,
}

/// Judges the reply to the request with JSON-RPC id `id`.
pub(crate) fn judge(
    expect: Expect,
    id: u64,
    status: StatusCode,
    content_type: &str,
    body: &[u8],
) -> Verdict {
    if !status.is_success() {
        return Verdict::Protocol(format!(
            "HTTP {status}: {}",
            truncate(&String::from_utf8_lossy(body))
        ));
    }
    if !content_type.starts_with("application/json")
        && !content_type.starts_with("text/event-stream")
    {
        return Verdict::Protocol(format!("unexpected Content-Type `{content_type}`"));
    }
    let text = match message_text(body, content_type) {
        Ok(text) => text,
        Err(error) => return Verdict::Protocol(format!("{error:#}")),
    };
    let envelope: Envelope = match serde_json::from_str(text) {
        Ok(envelope) => envelope,
        Err(error) => {
            return Verdict::Protocol(format!("unparsable reply ({error}): {}", truncate(text)));
        }
    };
    if envelope.jsonrpc.as_deref() != Some("2.0") {
        return Verdict::Protocol(format!("not JSON-RPC 2.0: {}", truncate(text)));
    }
    if envelope.id != Some(Value::from(id)) {
        return Verdict::Protocol(format!(
            "wrong id: sent {id}, got {}",
            envelope
                .id
                .map_or_else(|| "none".to_owned(), |got| got.to_string())
        ));
    }
    if let Some(error) = envelope.error {
        return Verdict::Protocol(format!("JSON-RPC error: {}", truncate(&error.to_string())));
    }
    let Some(result) = envelope.result else {
        return Verdict::Protocol("neither result nor error".to_owned());
    };
    match expect {
        Expect::ToolsPage => match result.tools {
            Some(tools) if !tools.is_empty() => Verdict::Page {
                names: tools.into_iter().map(|tool| tool.name).collect(),
                next_cursor: result.next_cursor,
            },
            Some(_) => Verdict::Protocol("an empty tools/list page".to_owned()),
            None => Verdict::Protocol("a tools/list result without `tools`".to_owned()),
        },
        Expect::ToolOk | Expect::ToolNotFound => tool_outcome(expect, result),
    }
}

fn tool_outcome(expect: Expect, result: ResultBody) -> Verdict {
    if result.content.is_none() {
        return Verdict::Protocol("a tool result without `content`".to_owned());
    }
    if result.is_error != Some(true) {
        if result.structured_content.is_none() {
            return Verdict::Protocol("a tool result without `structuredContent`".to_owned());
        }
        if expect == Expect::ToolNotFound {
            return Verdict::UnexpectedTool("a missing record was found".to_owned());
        }
        return Verdict::ToolOk;
    }
    let error = result.structured_content.and_then(|content| content.error);
    let status = error.as_ref().and_then(|error| error.status);
    match (expect, status) {
        (_, Some(429)) => Verdict::ExpectedToolError { status: 429 },
        (Expect::ToolNotFound, Some(404)) => Verdict::ExpectedToolError { status: 404 },
        _ => Verdict::UnexpectedTool(match error {
            Some(error) => format!(
                "tool error kind={} status={} message={}",
                error.kind.as_deref().unwrap_or("?"),
                error
                    .status
                    .map_or_else(|| "-".to_owned(), |s| s.to_string()),
                truncate(error.message.as_deref().unwrap_or(""))
            ),
            None => "a tool error without structured `error`".to_owned(),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const JSON: &str = "application/json";

    fn judge_json(expect: Expect, id: u64, body: &str) -> Verdict {
        judge(expect, id, StatusCode::OK, JSON, body.as_bytes())
    }

    #[test]
    fn a_page_gives_its_names_and_cursor() {
        let body = r#"{"jsonrpc":"2.0","id":7,"result":{"tools":[{"name":"a","inputSchema":{}},{"name":"b"}],"nextCursor":"c2"}}"#;
        assert_eq!(
            judge_json(Expect::ToolsPage, 7, body),
            Verdict::Page {
                names: vec!["a".to_owned(), "b".to_owned()],
                next_cursor: Some("c2".to_owned())
            }
        );
    }

    #[test]
    fn sse_replies_are_judged_on_their_last_data_event() {
        let body = "id: 0\ndata:\n\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"content\":[],\"structuredContent\":{\"teams\":[]}}}\n\n";
        let verdict = judge(
            Expect::ToolOk,
            3,
            StatusCode::OK,
            "text/event-stream",
            body.as_bytes(),
        );
        assert_eq!(verdict, Verdict::ToolOk);
    }

    #[test]
    fn protocol_errors_are_caught() {
        let cases = [
            (
                StatusCode::OK,
                JSON,
                r#"{"jsonrpc":"2.0","id":8,"result":{"content":[],"structuredContent":{}}}"#,
                "wrong id",
            ),
            (
                StatusCode::OK,
                JSON,
                r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"x"}}"#,
                "JSON-RPC error",
            ),
            (
                StatusCode::OK,
                JSON,
                r#"{"jsonrpc":"2.0","id":1,"res"#,
                "unparsable",
            ),
            (StatusCode::OK, "text/plain", r#"{}"#, "Content-Type"),
            (StatusCode::INTERNAL_SERVER_ERROR, JSON, r#"{}"#, "HTTP 500"),
            (
                StatusCode::OK,
                JSON,
                r#"{"id":1,"result":{}}"#,
                "JSON-RPC 2.0",
            ),
            (
                StatusCode::OK,
                JSON,
                r#"{"jsonrpc":"2.0","id":1,"result":{"isError":false}}"#,
                "without `content`",
            ),
        ];
        for (status, content_type, body, what) in cases {
            match judge(Expect::ToolOk, 1, status, content_type, body.as_bytes()) {
                Verdict::Protocol(message) => assert!(message.contains(what), "{message}"),
                other => panic!("{body}: {other:?}"),
            }
        }
        let empty = r#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#;
        assert!(matches!(
            judge_json(Expect::ToolsPage, 1, empty),
            Verdict::Protocol(_)
        ));
    }

    #[test]
    fn injected_and_not_found_errors_are_expected_others_are_not() {
        let error = |status: u16| {
            format!(
                r#"{{"jsonrpc":"2.0","id":1,"result":{{"isError":true,"content":[{{"type":"text","text":"x"}}],"structuredContent":{{"error":{{"kind":"status","status":{status},"message":"m"}}}}}}}}"#
            )
        };
        assert_eq!(
            judge_json(Expect::ToolOk, 1, &error(429)),
            Verdict::ExpectedToolError { status: 429 }
        );
        assert_eq!(
            judge_json(Expect::ToolNotFound, 1, &error(404)),
            Verdict::ExpectedToolError { status: 404 }
        );
        assert_eq!(
            judge_json(Expect::ToolNotFound, 1, &error(429)),
            Verdict::ExpectedToolError { status: 429 }
        );
        assert!(matches!(
            judge_json(Expect::ToolOk, 1, &error(404)),
            Verdict::UnexpectedTool(_)
        ));
        assert!(matches!(
            judge_json(Expect::ToolOk, 1, &error(500)),
            Verdict::UnexpectedTool(_)
        ));
        let found =
            r#"{"jsonrpc":"2.0","id":1,"result":{"content":[],"structuredContent":{"id":"x"}}}"#;
        assert!(matches!(
            judge_json(Expect::ToolNotFound, 1, found),
            Verdict::UnexpectedTool(_)
        ));
    }
}
