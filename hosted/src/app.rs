//! The hosted mode's HTTP application: admin API, `/mcp/<token>`, `/health` and
//! `/ready` on one router.
//!
//! [`app`] needs no socket, so tests drive it in-process with `tower::ServiceExt::oneshot`.
//! Unknown paths and methods answer in the admin API's JSON error shape too.

use crate::admin;
use crate::api_error::ApiError;
use crate::gateway;
use crate::health;
use crate::state::AppState;
use axum::Router;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use http::StatusCode;

/// The whole hosted application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(admin::routes(state.clone()))
        .route(gateway::ROUTE, any(gateway::handle))
        .route("/health", get(health::live))
        .route("/ready", get(health::ready))
        .fallback(|| async {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such route; see docs/hosted.md",
            )
            .into_response()
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not take that method",
            )
            .into_response()
        })
        .with_state(state)
}
