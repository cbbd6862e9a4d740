//! Probes for load balancers and orchestrators: `/health` (the process serves HTTP) and
//! `/ready` (it can serve requests: the database answers and holds this process's key).
//!
//! A replica whose database is unreachable is still alive, and restarting it would not help,
//! so only `/ready` turns 503; a balancer takes the replica out until it answers 200 again.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::json;

use crate::state::AppState;

/// `GET /health`: always 200 while the process serves.
pub(crate) async fn live() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /ready`: 200 when a database round trip succeeds and the key matches, else 503 with
/// the reason (never the database URL).
pub(crate) async fn ready(State(state): State<AppState>) -> Response {
    match state.hosted.verify_key().await {
        Ok(()) => Json(json!({ "status": "ready" })).into_response(),
        Err(error) => {
            tracing::warn!(%error, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(http::header::RETRY_AFTER, "5")],
                Json(json!({ "status": "unavailable", "message": error.to_string() })),
            )
                .into_response()
        }
    }
}
