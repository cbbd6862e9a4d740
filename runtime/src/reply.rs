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
        .and_then(|body| {
            error_message(
                body,
                integration.error_message_path,
                content_type(&response),
                secrets,
            )
        })
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

/// The message at `path` in a JSON error body, else a short quote of the body (of its text, for
/// an HTML page); scrubbed of `secrets` whole, before anything is cut.
fn error_message(
    body: &[u8],
    path: Option<&str>,
    content_type: Option<&str>,
    secrets: &Secrets,
) -> Option<String> {
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
    if is_html(content_type, body) {
        // A proxy's or framework's error page: its markup would fill the quote, so the agent
        // is told what it is and given the words on it.
        let text = html_snippet(body, secrets);
        return Some(if text.is_empty() {
            "an HTML page, not JSON".to_owned()
        } else {
            format!("an HTML page, not JSON: {text}")
        });
    }
    let text = snippet(body, secrets);
    (!text.is_empty()).then_some(text)
}

/// An HTML content type, or a body that opens like an HTML document.
fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    if content_type.is_some_and(|value| value.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let start = body.trim_ascii_start();
    let opening = &start[..start.len().min(14)];
    opening.eq_ignore_ascii_case(b"<!doctype html") || opening.starts_with(b"<html")
}

/// [`snippet`] of the text of an HTML page.
fn html_snippet(body: &[u8], secrets: &Secrets) -> String {
    let page = secrets.scrub(String::from_utf8_lossy(body).into_owned());
    // Dropping tags and decoding entities can join the pieces of a secret: scrub again.
    cut(&secrets.scrub(html_text(&page)))
}

/// The visible text of an HTML page: tags and comments dropped, the contents of `head`,
/// `script` and `style` too (the title stands in when nothing else is left), and the commonest
/// entities decoded. Not a parser: enough to quote an error page.
fn html_text(page: &str) -> String {
    let mut text = String::new();
    let mut title = String::new();
    let mut skipping: Option<String> = None;
    let mut in_title = false;
    let mut rest = page;
    loop {
        let (before, after) = match rest.find('<') {
            Some(open) => (&rest[..open], Some(&rest[open + 1..])),
            None => (rest, None),
        };
        if in_title {
            title.push_str(before);
        }
        if skipping.is_none() {
            text.push_str(before);
            text.push(' ');
        }
        let Some(after) = after else { break };
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(close) = after.find('>') else { break };
        let tag = &after[..close];
        rest = &after[close + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "title" {
            in_title = !closing;
        }
        match &skipping {
            Some(skipped) if closing && *skipped == name => skipping = None,
            None if !closing && matches!(name.as_str(), "head" | "script" | "style") => {
                skipping = Some(name);
            }
            _ => {}
        }
    }
    if text.trim().is_empty() {
        text = title;
    }
    for (entity, character) in [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&nbsp;", " "),
        ("&amp;", "&"),
    ] {
        if text.contains(entity) {
            text = text.replace(entity, character);
        }
    }
    text
}

/// The first [`SNIPPET_CHARS`] characters of `body`, whitespace collapsed. Secrets are
/// scrubbed from the whole body first: cutting first could leave a prefix of one.
pub(crate) fn snippet(body: &[u8], secrets: &Secrets) -> String {
    cut(&secrets.scrub(String::from_utf8_lossy(body).into_owned()))
}

/// The first [`SNIPPET_CHARS`] characters of `text`, whitespace collapsed.
fn cut(text: &str) -> String {
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
        snippet: if is_html(content_type, body) {
            html_snippet(body, secrets)
        } else {
            snippet(body, secrets)
        },
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
            error_message(body, Some("message"), None, &no_secrets()).as_deref(),
            Some("team \"x\" not found")
        );
        assert_eq!(
            error_message(
                br#"{"error": {"code": 7}}"#,
                Some("error"),
                None,
                &no_secrets()
            )
            .as_deref(),
            Some(r#"{"code":7}"#)
        );
        assert_eq!(
            error_message(
                b"<h1>Bad\n  Gateway</h1>",
                Some("message"),
                None,
                &no_secrets()
            )
            .as_deref(),
            Some("<h1>Bad Gateway</h1>")
        );
        assert_eq!(
            error_message(b"  ", Some("message"), None, &no_secrets()),
            None
        );
    }

    #[test]
    fn an_html_error_page_is_quoted_as_its_text() {
        let page = b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>p{}</style>\
            </head><body><!-- upstream: 10.0.0.7 --><h1>Bad Gateway</h1><script>var x = 1;</script>\
            <p>Try again &amp; again</p></body></html>";
        assert_eq!(
            error_message(page, Some("message"), Some("text/html"), &no_secrets()).as_deref(),
            Some("an HTML page, not JSON: Bad Gateway Try again & again")
        );
        // No content type, and nothing but a title: the title.
        assert_eq!(
            error_message(
                b"<html><head><title>Oops</title></head></html>",
                None,
                None,
                &no_secrets()
            )
            .as_deref(),
            Some("an HTML page, not JSON: Oops")
        );
    }

    #[test]
    fn snippet_is_bounded() {
        let long = "word ".repeat(200);
        let text = snippet(long.as_bytes(), &no_secrets());
        assert!(text.chars().count() <= SNIPPET_CHARS + 1, "{}", text.len());
        assert!(text.ends_with('…'));
    }

    #[test]
    fn empty_success_bodies_are_empty_objects_and_html_is_not_json_quoted_as_text() {
        assert_eq!(
            parse_success(200, None, b"", &no_secrets()).unwrap(),
            json!({})
        );
        let error =
            parse_success(200, Some("text/html"), b"<html>hi</html>", &no_secrets()).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("not JSON") && text.contains("text/html") && text.ends_with("): hi"),
            "{text}"
        );
    }
}
