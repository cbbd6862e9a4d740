//! Test controls under `/_fake/` — NOT part of the Chronosphere API, and unauthenticated:
//!
//! - `POST /_fake/reset`: empty the store, the request log and the control plans.
//! - `POST /_fake/seed` `{"count": N}`: add teams `team-0001`..; replies `{"teams": total}`.
//! - `POST /_fake/rate-limit` `{"requests": K, "retry_after": "30", "limit": 100,
//!   "remaining": 0, "reset": 30}`: the next K API requests get 429 with `Retry-After` and
//!   `X-RateLimit-*` headers (each only when given).
//! - `POST /_fake/delay` `{"requests": K, "millis": M}`: the next K API requests wait M ms.
//! - `GET /_fake/requests`: `{"count": N, "requests": [...]}`, the last 100 API requests
//!   (method, raw path, raw query, headers, body), oldest first.
//! - `POST /_fake/records` `{"path": "/api/v1/config/services", "records": [...], "key": ...}`:
//!   store records of the kind the operations at `path` serve (read-only ones such as services
//!   can be made no other way), each under `key` or its `slug`; replies `{"records": total}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::{DelayPlan, FakeState, RateLimitPlan};

type Reply = Result<Json<Value>, ApiError>;

/// Control bodies are JSON whatever the content type says, so `curl -d` works.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid(format!("invalid control body: {error}")))
}

pub(crate) async fn reset(State(state): State<FakeState>) -> Json<Value> {
    state.reset();
    Json(json!({}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Seed {
    count: usize,
}

pub(crate) async fn seed(State(state): State<FakeState>, body: Bytes) -> Reply {
    let seed: Seed = parse(&body)?;
    state.seed(seed.count);
    Ok(Json(json!({"teams": state.team_count()})))
}

pub(crate) async fn rate_limit(State(state): State<FakeState>, body: Bytes) -> Reply {
    state.set_rate_limit(parse::<RateLimitPlan>(&body)?);
    Ok(Json(json!({})))
}

pub(crate) async fn delay(State(state): State<FakeState>, body: Bytes) -> Reply {
    state.set_delay(parse::<DelayPlan>(&body)?);
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Records {
    path: String,
    records: Vec<Value>,
    #[serde(default)]
    key: Option<String>,
}

pub(crate) async fn records(State(state): State<FakeState>, body: Bytes) -> Reply {
    let records: Records = parse(&body)?;
    let total = crate::generic::insert(
        &state,
        &records.path,
        records.key.as_deref(),
        records.records,
    )?;
    Ok(Json(json!({"records": total})))
}

pub(crate) async fn requests(State(state): State<FakeState>) -> Json<Value> {
    Json(json!({"count": state.request_count(), "requests": state.requests()}))
}
