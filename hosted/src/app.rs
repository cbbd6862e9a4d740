//! The hosted mode's HTTP application: admin API, `/mcp/<token>` and `/health` on one router.
//!
//! [`app`] needs no socket, so tests drive it in-process with `tower::ServiceExt::oneshot`.
//! Unknown paths and methods answer in the admin API's JSON error shape too.

use std::sync::Arc;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use http::StatusCode;
use serde_json::json;

use crate::admin::{self, error::ApiError};
use crate::core::Hosted;
use crate::crypto::{self, TokenHash};
use crate::gateway::{self, Gateway};

/// Shared state of every hosted route.
#[derive(Clone)]
pub struct AppState {
    pub(crate) hosted: Arc<Hosted>,
    pub(crate) gateway: Arc<Gateway>,
    admin_token_hash: TokenHash,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("hosted", &self.hosted)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Only the admin token's hash is kept in memory.
    pub fn new(hosted: Arc<Hosted>, gateway: Arc<Gateway>, admin_token: &str) -> Self {
        Self {
            hosted,
            gateway,
            admin_token_hash: crypto::hash_token(admin_token),
        }
    }

    pub fn hosted(&self) -> &Arc<Hosted> {
        &self.hosted
    }

    pub fn gateway(&self) -> &Arc<Gateway> {
        &self.gateway
    }

    pub(crate) fn is_admin_token(&self, given: &str) -> bool {
        crypto::hash_matches(given, &self.admin_token_hash)
    }
}

/// The whole hosted application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(admin::routes(state.clone()))
        .route(gateway::ROUTE, any(gateway::handle))
        .route(
            "/health",
            get(|| async { axum::Json(json!({ "status": "ok" })) }),
        )
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
