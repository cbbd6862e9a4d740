//! Arbitrary upstream replies through the runtime's reply readers, for every tool of the three
//! generated integrations: `mcpgen_runtime::fuzzing::replay` prepares the request as a real call
//! does (path, query and body arguments; `limit` and `next_cursor` checked, Link cursors
//! opened), then reads the given status, headers and body with the same code as a reply from
//! the network (status errors with normalised rate-limit headers and the error message, the
//! size cap, JSON parsing, records at `response_path`, the next cursor from the body, the page
//! count or the `Link` header, sealed). The tool's generated handler then decodes the records
//! as its typed output. A next cursor that comes back is followed once, so cursor opening and
//! the base-URL check see the cursors the reader issues.
//!
//! Input, one reply as text:
//!
//! ```text
//! github_list_repository_issues {"owner": "o", "repo": "r"}
//! 200
//! link: <https://api.github.com/repositories/1/issues?page=2>; rel="next"
//! x-ratelimit-remaining: 0
//!
//! [{"id": 1}]
//! ```
//!
//! An unknown tool name picks a tool by its bytes. Errors are fine; a panic, or a secret
//! credential in an error's text, is a bug.
#![no_main]

use std::sync::OnceLock;

use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use mcpgen_fuzz::{line, runtime};
use mcpgen_runtime::{
    BoxFuture, CallError, Credentials, CursorKey, Integration, RequestPlan, Tool, Upstream,
    UpstreamClient, UpstreamConfig, UpstreamError,
};
use serde_json::{Map, Value};

static INTEGRATIONS: &[&Integration] = &[
    &mcpgen_chronosphere::INTEGRATION,
    &mcpgen_github::INTEGRATION,
    &mcpgen_pagerduty::INTEGRATION,
];

/// Every credential's value: long and odd enough that a reply only holds it if it echoed it.
fn secret(name: &str) -> String {
    format!("fz-{name}-Q7v9xK2mW4pL8s")
}

struct Tools {
    tools: Vec<(&'static Tool, UpstreamClient)>,
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let mut tools = Vec::new();
        for integration in INTEGRATIONS {
            let mut credentials = Credentials::new();
            for spec in integration.credentials {
                // A tenant forms a host name, so it keeps to host characters.
                credentials.insert(spec.name, secret(spec.name).to_ascii_lowercase());
            }
            let client = UpstreamClient::new(
                integration,
                credentials,
                UpstreamConfig {
                    // The integration's own base URL over plain HTTP: the fuzz build has no TLS
                    // backend, and nothing is sent anyway.
                    base_url: Some(integration.base_url.replacen("https://", "http://", 1)),
                    // Fixed, so that a crashing input replays with the same sealed cursors.
                    cursor_key: Some(CursorKey::from_bytes([7; 32])),
                    max_body_bytes: 64 * 1024,
                    ..UpstreamConfig::default()
                },
            )
            .unwrap_or_else(|error| panic!("{} client: {error}", integration.name));
            for tool in integration.tools {
                tools.push((*tool, client.clone()));
            }
        }
        Tools { tools }
    })
}

/// An upstream whose every reply is the one from the input.
struct Replay<'a> {
    client: &'a UpstreamClient,
    status: u16,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl Upstream for Replay<'_> {
    fn execute<'a>(
        &'a self,
        plan: &'static RequestPlan,
        input: Value,
    ) -> BoxFuture<'a, Result<Value, UpstreamError>> {
        Box::pin(mcpgen_runtime::fuzzing::replay(
            self.client,
            plan,
            input,
            self.status,
            self.headers.clone(),
            self.body.to_vec(),
        ))
    }

    fn scrub(&self, error: UpstreamError) -> UpstreamError {
        Upstream::scrub(self.client, error)
    }
}

fuzz_target!(|data: &[u8]| {
    let (first, rest) = line(data);
    let (name, arguments) = match first.iter().position(|&byte| byte == b' ') {
        Some(space) => (&first[..space], &first[space + 1..]),
        None => (first, &b""[..]),
    };
    let tools = &tools().tools;
    let (tool, client) = tools
        .iter()
        .find(|(tool, _)| tool.name.as_bytes() == name)
        .unwrap_or_else(|| {
            let pick = name.iter().fold(0usize, |sum, &byte| {
                sum.wrapping_mul(31).wrapping_add(usize::from(byte))
            });
            &tools[pick % tools.len()]
        });
    let mut arguments = match serde_json::from_slice::<Value>(arguments) {
        Ok(Value::Object(arguments)) => arguments,
        _ => Map::new(),
    };
    let (status, rest) = line(rest);
    let status = std::str::from_utf8(status)
        .ok()
        .and_then(|status| status.trim().parse::<u16>().ok())
        .unwrap_or(200);
    let mut headers = HeaderMap::new();
    let mut body = rest;
    loop {
        let (header, after) = line(body);
        body = after;
        if header.is_empty() {
            break;
        }
        let Some(colon) = header.iter().position(|&byte| byte == b':') else {
            continue;
        };
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(header[..colon].trim_ascii()),
            HeaderValue::from_bytes(header[colon + 1..].trim_ascii()),
        ) {
            headers.append(name, value);
        }
    }
    let replay = Replay {
        client,
        status,
        headers: &headers,
        body,
    };
    runtime().block_on(async {
        let result = (tool.handler)(&replay, &tool.plan, arguments.clone()).await;
        check(client, &result);
        // Follow the cursor this reply produced: opening it must give back a URL inside the
        // upstream, whatever the reply's Link header said.
        let next = match &result {
            Ok(Value::Object(page)) => page.get("next_cursor").and_then(Value::as_str),
            _ => None,
        };
        if let Some(next) = next {
            arguments.insert("next_cursor".to_owned(), Value::from(next));
            let result = (tool.handler)(&replay, &tool.plan, arguments).await;
            check(client, &result);
        }
    });
});

/// An upstream error's text never holds a secret credential: the runtime scrubs them before an
/// error leaves it. (Invalid arguments quote the caller's own input, which is theirs to see.)
fn check(client: &UpstreamClient, result: &Result<Value, CallError>) {
    let Err(CallError::Upstream(error)) = result else {
        return;
    };
    let text = format!("{error:?} {error}");
    for spec in client
        .integration()
        .credentials
        .iter()
        .filter(|spec| spec.secret)
    {
        let value = secret(spec.name).to_ascii_lowercase();
        assert!(
            !text.contains(&value),
            "credential `{}` in an error: {text}",
            spec.name
        );
    }
}
