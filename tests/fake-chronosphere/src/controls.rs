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

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::state::{DelayPlan, FakeState, RateLimitPlan};

pub(crate) async fn reset(State(state): State<FakeState>) -> Json<Value> {
    state.reset();
    Json(json!({}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Seed {
    count: usize,
}

pub(crate) async fn seed(State(state): State<FakeState>, Json(seed): Json<Seed>) -> Json<Value> {
    state.seed(seed.count);
    Json(json!({"teams": state.team_count()}))
}

pub(crate) async fn rate_limit(State(state): State<FakeState>, Json(plan): Json<RateLimitPlan>) -> Json<Value> {
    state.set_rate_limit(plan);
    Json(json!({}))
}

pub(crate) async fn delay(State(state): State<FakeState>, Json(plan): Json<DelayPlan>) -> Json<Value> {
    state.set_delay(plan);
    Json(json!({}))
}

pub(crate) async fn requests(State(state): State<FakeState>) -> Json<Value> {
    Json(json!({"count": state.request_count(), "requests": state.requests()}))
}
