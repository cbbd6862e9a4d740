//! [`AppState`]: what every hosted route shares (the operations, the gateway, the admin token's
//! hash).

use std::sync::Arc;

use axum::extract::FromRef;

use crate::core::Hosted;
use crate::crypto::{self, TokenHash};
use crate::gateway::Gateway;

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

/// What `/mcp/<token>` takes: the gateway alone.
impl FromRef<AppState> for Arc<Gateway> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.gateway)
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

    /// The operations the admin routes run.
    pub fn hosted(&self) -> &Arc<Hosted> {
        &self.hosted
    }

    /// The gateway that serves `/mcp/<token>`.
    pub fn gateway(&self) -> &Arc<Gateway> {
        &self.gateway
    }

    pub(crate) fn is_admin_token(&self, given: &str) -> bool {
        crypto::hash_matches(given, &self.admin_token_hash)
    }
}
