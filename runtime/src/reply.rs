//! Reading an upstream reply: the size-capped body, non-2xx statuses as
//! [`UpstreamError::Status`], and the records and next cursor of a success.
//!
//! The body is streamed and counted, so a missing or lying `Content-Length` cannot make the
//! server buffer more than `max_body_bytes`.

use std::time::SystemTime;

use reqwest::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use crate::dotted;
use crate::error::{RateLimit, UpstreamError};
use crate::ratelimit;
use crate::registry::{Integration, OutputShape, RequestPlan};
use crate::secrets::Secrets;

/// Error bodies are only read for their message, so a smaller cap is enough.
const ERROR_BODY_CAP: usize = 64 * 1024;
/// How much of a body an error message quotes.
const SNIPPET_CHARS: usize = 200;

/// Reads at most `cap` bytes of body. `Ok(None)` means the body was larger.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    cap: usize,
) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let declared = response.content_length().unwrap_or(0);
    if declared > cap as u64 {
        return Ok(None);
    }
    let mut body = Vec::with_capacity(declared as usize);
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > cap {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// Turns a non-2xx reply into [`UpstreamError::Status`].
pub(crate) async fn status_error(
    integration: &Integration,
    mut response: reqwest::Response,
    max_body_bytes: usize,
    secrets: &Secrets,
) -> UpstreamError {
    let status = response.status();
    let rate_limit: RateLimit = ratelimit::from_headers(
        &integration.rate_limit,
        response.headers(),
        SystemTime::now(),
    );
    // A body that cannot be read still leaves the status and rate-limit headers to report.
    let body = read_capped(&mut response, ERROR_BODY_CAP.min(max_body_bytes))
        .await
        .ok()
        .flatten();
    let message = body
        .as_deref()
        .and_then(|body| error_message(body, integration.error_message_path, secrets))
        .or_else(|| status.is_redirection().then(|| redirect_message(&response)))
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("no message").to_owned());
    UpstreamError::Status {
        status: status.as_u16(),
        message,
        rate_limit,
    }
}

/// A redirect reaches the caller only when it leaves the upstream's origin: the client follows
/// same-origin redirects and refuses others, so credentials stay with the upstream.
fn redirect_message(response: &reqwest::Response) -> String {
    let target = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|location| response.url().join(location).ok())
        .map(|url| url.origin().ascii_serialization());
    match target {
        Some(origin) => format!("not following a redirect to another origin ({origin})"),
        None => "not following a redirect without a usable Location".to_owned(),
    }
}

/// The message at `path` in a JSON error body, else a short quote of the body; scrubbed of
/// `secrets` whole, before anything is cut.
fn error_message(body: &[u8], path: Option<&str>, secrets: &Secrets) -> Option<String> {
    if let (Some(path), Ok(json)) = (path, serde_json::from_slice::<Value>(body)) {
        match dotted::get(&json, path) {
            Some(Value::String(message)) if !message.trim().is_empty() => {
                return Some(secrets.scrub(message.clone()));
            }
            Some(Value::Null) | None => {}
            Some(other) if !other.is_string() => return Some(secrets.scrub(other.to_string())),
            Some(_) => {}
        }
    }
    let text = snippet(body, secrets);
    (!text.is_empty()).then_some(text)
}

/// The first [`SNIPPET_CHARS`] characters of `body`, whitespace collapsed. Secrets are
/// scrubbed from the whole body first: cutting first could leave a prefix of one.
pub(crate) fn snippet(body: &[u8], secrets: &Secrets) -> String {
    let text = secrets.scrub(String::from_utf8_lossy(body).into_owned());
    let mut out = String::with_capacity(SNIPPET_CHARS.min(text.len()) + 3);
    for (count, word) in text.split_whitespace().enumerate() {
        if out.len() + word.len() > SNIPPET_CHARS {
            let room = SNIPPET_CHARS.saturating_sub(out.len());
            if count > 0 && room > 1 {
                out.push(' ');
            }
            out.extend(word.chars().take(room.saturating_sub(1)));
            out.push('…');
            break;
        }
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Parses a 2xx body (empty is `{}`), reporting a non-JSON body with its content type.
pub(crate) fn parse_success(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    secrets: &Secrets,
) -> Result<Value, UpstreamError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|error| UpstreamError::NotJson {
        status,
        detail: format!(
            "content-type {}, {error}",
            content_type.unwrap_or("missing")
        ),
        snippet: snippet(body, secrets),
    })
}

pub(crate) fn content_type(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
}

/// The value an output type is decoded from: the record at `response_path`, the whole body, or
/// for pages `{"result": [...], "next_cursor": ...}`. A missing or null record is `{}` (the
/// "partial response" of a dry run); a missing or null list is empty.
pub(crate) fn shape(
    plan: &RequestPlan,
    body: Value,
    next: impl FnOnce(&Value, usize) -> Option<String>,
) -> Result<Value, UpstreamError> {
    let at_path = |body: Value| match plan.response_path {
        Some(path) => dotted::take(body, path).filter(|value| !value.is_null()),
        None => Some(body),
    };
    match plan.output {
        OutputShape::Raw => Ok(body),
        OutputShape::Record => Ok(at_path(body).unwrap_or_else(|| Value::Object(Map::new()))),
        OutputShape::Page => {
            let records = match plan.response_path {
                Some(path) => dotted::get(&body, path),
                None => Some(&body),
            };
            let count = match records {
                None | Some(Value::Null) => 0,
                Some(Value::Array(items)) => items.len(),
                Some(other) => {
                    return Err(UpstreamError::UnexpectedReply {
                        path: plan.response_path.unwrap_or(".").to_owned(),
                        message: format!("expected a list of records, found {}", json_type(other)),
                    });
                }
            };
            let next_cursor = next(&body, count);
            let records = at_path(body).unwrap_or_else(|| Value::Array(Vec::new()));
            let mut page = Map::with_capacity(2);
            page.insert("result".to_owned(), records);
            page.insert(
                "next_cursor".to_owned(),
                next_cursor.map_or(Value::Null, Value::String),
            );
            Ok(Value::Object(page))
        }
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn no_secrets() -> Secrets {
        Secrets::default()
    }

    #[test]
    fn error_message_prefers_the_documented_path_then_a_snippet() {
        let body = br#"{"code": 5, "message": "team \"x\" not found"}"#;
        assert_eq!(
            error_message(body, Some("message"), &no_secrets()).as_deref(),
            Some("team \"x\" not found")
        );
        assert_eq!(
            error_message(br#"{"error": {"code": 7}}"#, Some("error"), &no_secrets()).as_deref(),
            Some(r#"{"code":7}"#)
        );
        assert_eq!(
            error_message(b"<h1>Bad\n  Gateway</h1>", Some("message"), &no_secrets()).as_deref(),
            Some("<h1>Bad Gateway</h1>")
        );
        assert_eq!(error_message(b"  ", Some("message"), &no_secrets()), None);
    }

    #[test]
    fn snippet_is_bounded() {
        let long = "word ".repeat(200);
        let text = snippet(long.as_bytes(), &no_secrets());
        assert!(text.chars().count() <= SNIPPET_CHARS + 1, "{}", text.len());
        assert!(text.ends_with('…'));
    }

    #[test]
    fn empty_success_bodies_are_empty_objects_and_html_is_not_json() {
        assert_eq!(
            parse_success(200, None, b"", &no_secrets()).unwrap(),
            json!({})
        );
        let error =
            parse_success(200, Some("text/html"), b"<html>hi</html>", &no_secrets()).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("not JSON")
                && text.contains("text/html")
                && text.contains("<html>hi</html>"),
            "{text}"
        );
    }
}
