//! The admin API: integrated accounts, their MCP servers, API tokens and the audit log, as JSON
//! over HTTP.
//!
//! Every route needs `Authorization: Bearer $MCP_ADMIN_TOKEN`, compared in constant time
//! ([`crate::crypto::hash_matches`] compares SHA-256 digests, so neither content nor
//! length leaks through timing). Errors are `{"error": code, "message": text}`, like those of
//! every hosted route.

mod accounts;
mod audit;
mod extract;
mod servers;
mod tokens;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};

use crate::api_error::ApiError;
use crate::bearer::bearer;
use crate::state::AppState;

/// The admin routes, behind the admin-token check.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/integrated-account",
            post(accounts::create).get(accounts::list),
        )
        .route(
            "/integrated-account/{id}",
            get(accounts::get).delete(accounts::delete),
        )
        .route(
            "/integrated-account/{id}/mcp",
            post(servers::create).get(servers::list),
        )
        .route(
            "/integrated-account/{id}/mcp/{mcp_id}",
            get(servers::get)
                .patch(servers::update)
                .delete(servers::delete),
        )
        .route("/api-tokens", post(tokens::create).get(tokens::list))
        .route("/api-tokens/{id}", delete(tokens::delete))
        .route("/audit-log", get(audit::list))
        .route_layer(middleware::from_fn_with_state(state, require_admin))
}

async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match bearer(request.headers()) {
        None => ApiError::unauthorized(
            "send the admin token as `Authorization: Bearer <MCP_ADMIN_TOKEN>`",
        )
        .into_response(),
        Some(token) if !state.is_admin_token(token) => {
            ApiError::unauthorized("the admin token is not valid").into_response()
        }
        Some(_) => next.run(request).await,
    }
}
