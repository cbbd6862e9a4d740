//! What every API request passes before its handler: counting and recording (for tests),
//! forced delays, the `API-Token` check, and forced 429s, in that order.

use std::collections::BTreeMap;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::error::{ApiError, code};
use crate::state::{FakeState, RateLimitPlan, RecordedRequest};

/// Request bodies above this are refused with 413.
const MAX_REQUEST_BODY: usize = 1024 * 1024;

pub(crate) async fn gate(State(state): State<FakeState>, request: Request, next: Next) -> Response {
    state.count_request();
    let request = if state.records_requests() {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_REQUEST_BODY).await else {
            let error = ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: code::INVALID_ARGUMENT,
                message: format!("request body over {MAX_REQUEST_BODY} bytes"),
            };
            return error.into_response();
        };
        state.record(RecordedRequest {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: header_map(&parts.headers),
            body: body_value(&bytes),
        });
        Request::from_parts(parts, Body::from(bytes))
    } else {
        request
    };
    if let Some(delay) = state.take_delay() {
        tokio::time::sleep(delay).await;
    }
    if !authorized(request.headers(), state.api_token()) {
        return ApiError::unauthenticated().into_response();
    }
    if let Some(plan) = state.take_rate_limit() {
        return rate_limited(&plan);
    }
    next.run(request).await
}

fn authorized(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get("api-token")
        .is_some_and(|value| value.as_bytes() == token.as_bytes())
}

fn rate_limited(plan: &RateLimitPlan) -> Response {
    let error = ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: code::RESOURCE_EXHAUSTED,
        message: "rate limit exceeded".to_owned(),
    };
    let mut response = error.into_response();
    let headers = response.headers_mut();
    if let Some(value) = plan
        .retry_after
        .as_deref()
        .and_then(|value| HeaderValue::from_str(value).ok())
    {
        headers.insert(header::RETRY_AFTER, value);
    }
    for (name, value) in [
        ("x-ratelimit-limit", plan.limit),
        ("x-ratelimit-remaining", plan.remaining),
        ("x-ratelimit-reset", plan.reset),
    ] {
        if let Some(value) = value {
            headers.insert(name, HeaderValue::from(value));
        }
    }
    response
}

fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        map.entry(name.as_str().to_owned())
            .and_modify(|joined| {
                joined.push_str(", ");
                joined.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    map
}

fn body_value(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}
