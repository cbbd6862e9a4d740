//! What the fuzz targets share: a plain-text format for HTTP requests (so seeds are readable
//! and libFuzzer can mutate methods, paths, headers and bodies alike), and a current-thread
//! Tokio runtime made once per process.
//!
//! A script is one or more requests separated by a line `---`. Each request is
//!
//! ```text
//! POST /mcp?x=1
//! content-type: application/json
//!
//! {"jsonrpc": "2.0", ...}
//! ```
//!
//! a request line, header lines, a blank line and the body (everything up to the separator).
//! Input whose first line is not `METHOD /path` is all body, sent to the target's default
//! request, so raw bodies mutate freely too.

use std::sync::OnceLock;

use axum::body::Body;
use http::{HeaderName, HeaderValue, Method, Request};

/// The runtime every target drives its futures on, made on first use.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("cannot start a Tokio runtime: {error}"))
    })
}

/// One parsed request, before placeholders are filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest<'a> {
    pub method: &'a [u8],
    pub target: &'a [u8],
    pub headers: Vec<(&'a [u8], &'a [u8])>,
    pub body: &'a [u8],
}

const SEPARATOR: &[u8] = b"\n---\n";

/// Splits `data` into requests (at most `max`; the rest is ignored so one input stays cheap).
pub fn parse_script<'a>(
    data: &'a [u8],
    default_method: &'a [u8],
    default_target: &'a [u8],
    max: usize,
) -> Vec<RawRequest<'a>> {
    split(data, SEPARATOR)
        .take(max)
        .map(|part| parse_request(part, default_method, default_target))
        .collect()
}

fn parse_request<'a>(
    data: &'a [u8],
    default_method: &'a [u8],
    default_target: &'a [u8],
) -> RawRequest<'a> {
    let whole_body = RawRequest {
        method: default_method,
        target: default_target,
        headers: Vec::new(),
        body: data,
    };
    let (first, rest) = line(data);
    let Some((method, target)) = split_once(first, b' ') else {
        return whole_body;
    };
    if method.is_empty() || !method.iter().all(u8::is_ascii_uppercase) || !target.starts_with(b"/")
    {
        return whole_body;
    }
    let mut headers = Vec::new();
    let mut rest = rest;
    loop {
        if rest.is_empty() {
            break;
        }
        let (header, after) = line(rest);
        rest = after;
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = split_once(header, b':') {
            headers.push((name.trim_ascii(), value.trim_ascii()));
        }
    }
    RawRequest {
        method,
        target,
        headers,
        body: rest,
    }
}

impl RawRequest<'_> {
    /// The request with `{name}` placeholders in the target and header values replaced by
    /// `fill(name)`; `None` when the method, target or a header is not valid HTTP, which the
    /// server could never have received.
    pub fn build(&self, fill: &dyn Fn(&str) -> Option<String>) -> Option<Request<Body>> {
        let method = Method::from_bytes(self.method).ok()?;
        let target = substitute(self.target, fill);
        let mut request = Request::builder().method(method).uri(target.as_slice());
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name).ok()?;
            let value = HeaderValue::from_bytes(&substitute(value, fill)).ok()?;
            request = request.header(name, value);
        }
        request.body(Body::from(self.body.to_vec())).ok()
    }
}

/// `text` with each `{name}` that `fill` knows replaced by its value.
fn substitute(text: &[u8], fill: &dyn Fn(&str) -> Option<String>) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.iter().position(|&byte| byte == b'{') {
        out.extend_from_slice(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after
            .iter()
            .position(|&byte| byte == b'}')
            .and_then(|close| {
                let name = std::str::from_utf8(&after[..close]).ok()?;
                Some((fill(name)?, close))
            });
        match filled {
            Some((value, close)) => {
                out.extend_from_slice(value.as_bytes());
                rest = &after[close + 1..];
            }
            None => {
                out.push(b'{');
                rest = after;
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

/// The first line of `data` (without `\n` or `\r\n`) and what follows it.
pub fn line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&byte| byte == b'\n') {
        Some(end) => {
            let first = &data[..end];
            (first.strip_suffix(b"\r").unwrap_or(first), &data[end + 1..])
        }
        None => (data, &[]),
    }
}

fn split_once(data: &[u8], at: u8) -> Option<(&[u8], &[u8])> {
    let index = data.iter().position(|&byte| byte == at)?;
    Some((&data[..index], &data[index + 1..]))
}

fn split<'a>(data: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let current = rest?;
        match current
            .windows(separator.len())
            .position(|window| window == separator)
        {
            Some(index) => {
                rest = Some(&current[index + separator.len()..]);
                Some(&current[..index])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_split_into_requests_with_headers_and_bodies() {
        let script = b"POST /a\r\nx-one: 1\n\n{\"a\":1}\n---\nGET /b?c\n\n---\nnot a request";
        let requests = parse_script(script, b"PUT", b"/default", 8);
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[0].method, b"POST");
        assert_eq!(requests[0].headers, vec![(&b"x-one"[..], &b"1"[..])]);
        assert_eq!(requests[0].body, b"{\"a\":1}");
        assert_eq!(requests[1].target, b"/b?c");
        assert_eq!(requests[1].body, b"");
        assert_eq!(requests[2].method, b"PUT");
        assert_eq!(requests[2].body, b"not a request");
    }

    #[test]
    fn placeholders_are_filled_when_known() {
        let fill = |name: &str| (name == "id").then(|| "42".to_owned());
        assert_eq!(substitute(b"/x/{id}/{other}/{", &fill), b"/x/42/{other}/{");
    }
}
