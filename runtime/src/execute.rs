//! One upstream exchange: prepare the request, send it under the timeout, read the capped reply
//! and shape it for decoding. Every error leaves through [`execute`] after secrets are scrubbed.

use std::error::Error as _;
use std::io::ErrorKind;
use std::time::Instant;

use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde_json::Value;

use crate::auth::Auth;
use crate::client::{Inner, UpstreamClient};
use crate::cursor::LinkCursors;
use crate::error::UpstreamError;
use crate::pagination::{self, PageState};
use crate::registry::{BoxFuture, HttpVerb, RequestPlan, Upstream};
use crate::{reply, request};

const JSON: HeaderValue = HeaderValue::from_static("application/json");

impl Upstream for UpstreamClient {
    fn execute<'a>(
        &'a self,
        plan: &'static RequestPlan,
        input: Value,
    ) -> BoxFuture<'a, Result<Value, UpstreamError>> {
        Box::pin(execute(self, plan, input))
    }

    fn scrub(&self, error: UpstreamError) -> UpstreamError {
        self.scrub_error(error)
    }
}

/// Runs `plan` with `input` (a JSON object) and returns the value the output type decodes from:
/// see [`reply::shape`].
async fn execute(
    client: &UpstreamClient,
    plan: &'static RequestPlan,
    input: Value,
) -> Result<Value, UpstreamError> {
    let started = Instant::now();
    let inner = &*client.inner;
    let result = exchange(inner, plan, input, client.link_cursors(plan)).await;
    if tracing::enabled!(tracing::Level::DEBUG) {
        trace_call(inner, plan, &result, started);
    }
    result
        .map(|(_, value)| value)
        .map_err(|error| client.scrub_error(error))
}

/// One debug event per call: tool, verb, path template, status, elapsed. Never arguments, URLs
/// or bodies, which may carry secrets or personal data.
fn trace_call(
    inner: &Inner,
    plan: &'static RequestPlan,
    result: &Result<(u16, Value), UpstreamError>,
    started: Instant,
) {
    let elapsed_us = started.elapsed().as_micros() as u64;
    let tool = inner
        .integration
        .tools
        .iter()
        .find(|tool| std::ptr::eq(&tool.plan, plan))
        .map_or("", |tool| tool.name);
    let integration = inner.integration.name;
    let path = plan.path_template();
    match result {
        Ok((status, _)) => tracing::debug!(
            integration, tool, verb = plan.verb.as_str(), path = %path, status, elapsed_us, "upstream call"
        ),
        Err(error) => tracing::debug!(
            integration, tool, verb = plan.verb.as_str(), path = %path, status = error.status(), kind = error.kind(),
            elapsed_us, "upstream call failed"
        ),
    }
}

async fn exchange(
    inner: &Inner,
    plan: &'static RequestPlan,
    input: Value,
    links: LinkCursors<'_>,
) -> Result<(u16, Value), UpstreamError> {
    let prepared = request::prepare(&inner.base, &inner.auth, plan, input, links)?;
    let mut builder = inner
        .http
        .request(method(plan.verb), prepared.url)
        .timeout(inner.timeout)
        .header(ACCEPT, JSON);
    if let Auth::Header(name, value) = &inner.auth {
        builder = builder.header(name.clone(), value.clone());
    }
    if let Some(body) = prepared.body {
        builder = builder.header(CONTENT_TYPE, JSON).body(body);
    }
    let response = builder
        .send()
        .await
        .map_err(|error| transport_error(inner, error, Phase::Head))?;
    read_reply(inner, plan, prepared.page, links, response).await
}

/// Everything after the reply's head arrived: status errors with their rate-limit headers, the
/// capped body, and the records with the next cursor. Separate from [`exchange`] so that the
/// fuzz targets (`crate::fuzzing`) read in-memory replies through the very same code.
pub(crate) async fn read_reply(
    inner: &Inner,
    plan: &'static RequestPlan,
    page: PageState,
    links: LinkCursors<'_>,
    mut response: reqwest::Response,
) -> Result<(u16, Value), UpstreamError> {
    let status = response.status();
    if !status.is_success() {
        return Err(reply::status_error(
            inner.integration,
            response,
            inner.max_body_bytes,
            &inner.secrets,
        )
        .await);
    }
    let body = reply::read_capped(&mut response, inner.max_body_bytes)
        .await
        .map_err(|error| transport_error(inner, error, Phase::Body))?
        .ok_or(UpstreamError::TooLarge {
            limit: inner.max_body_bytes,
        })?;
    let body = reply::parse_success(
        status.as_u16(),
        reply::content_type(&response),
        &body,
        &inner.secrets,
    )?;
    let auth_param = match &inner.auth {
        Auth::Query(name, _) => Some(name.as_str()),
        _ => None,
    };
    let shaped = reply::shape(plan, body, |body, count| {
        pagination::next_cursor(
            page,
            body,
            count,
            response.headers(),
            response.url(),
            auth_param,
            links,
        )
    })?;
    Ok((status.as_u16(), shaped))
}

fn method(verb: HttpVerb) -> Method {
    match verb {
        HttpVerb::Get => Method::GET,
        HttpVerb::Post => Method::POST,
        HttpVerb::Put => Method::PUT,
        HttpVerb::Patch => Method::PATCH,
        HttpVerb::Delete => Method::DELETE,
    }
}

/// Where in the exchange a failure happened: before the status and headers arrived, or while
/// the body was being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Head,
    Body,
}

/// A send or read failure, described by its cause chain without the URL (which may carry a
/// query-auth token). A connection reset or closed early is said first in plain words, since
/// hyper's chain ("error decoding response body: ... end of file before message length
/// reached") does not say who ended what.
fn transport_error(inner: &Inner, error: reqwest::Error, phase: Phase) -> UpstreamError {
    if error.is_timeout() {
        return UpstreamError::Timeout {
            after: inner.timeout,
            reply_started: phase == Phase::Body,
        };
    }
    let is_connect = error.is_connect();
    let error = error.without_url();
    let mut chain = error.to_string();
    let mut ended = None;
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !chain.contains(&text) {
            chain.push_str(": ");
            chain.push_str(&text);
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            ended = ended.or(match io.kind() {
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => Some("reset"),
                ErrorKind::UnexpectedEof => Some("closed"),
                _ => None,
            });
        }
        source = cause.source();
    }
    if is_connect {
        return UpstreamError::Connect {
            message: format!(
                "{}: {chain}",
                inner.base.url().origin().ascii_serialization()
            ),
        };
    }
    let message = match (ended, phase) {
        (Some(how), Phase::Body) => {
            format!("the upstream {how} the connection before its reply was complete ({chain})")
        }
        (Some(how), Phase::Head) => {
            format!("the upstream {how} the connection before sending a reply ({chain})")
        }
        (None, _) => chain,
    };
    UpstreamError::Transport { message }
}
