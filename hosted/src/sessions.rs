//! 2025-11-25 sessions kept in the database, so that every replica serves every session.
//!
//! rmcp keeps a session's stream in the memory of the process that opened it. With a
//! [`SessionStore`], a replica that gets a request for a session it does not hold loads what the
//! client sent in `initialize` and replays the handshake (rmcp's restore), so the balancer needs
//! no affinity. Rows are scoped to one MCP server: a session id is useless at another server's
//! URL, and deleting or expiring the server ends its sessions on every replica.

use std::sync::Arc;

use async_trait::async_trait;
use rmcp::transport::streamable_http_server::session::{
    SessionState, SessionStore, SessionStoreError,
};

use crate::clock::Clock;
use crate::store::Store;

/// The sessions of one MCP server, in the hosted store.
pub(crate) struct ServerSessions {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    server_id: String,
}

impl ServerSessions {
    pub(crate) fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, server_id: &str) -> Self {
        Self {
            store,
            clock,
            server_id: server_id.to_owned(),
        }
    }
}

#[async_trait]
impl SessionStore for ServerSessions {
    async fn load(&self, session_id: &str) -> Result<Option<SessionState>, SessionStoreError> {
        let Some(state) = self.store.session(&self.server_id, session_id).await? else {
            return Ok(None);
        };
        Ok(Some(serde_json::from_str(&state)?))
    }

    async fn store(&self, session_id: &str, state: &SessionState) -> Result<(), SessionStoreError> {
        let state = serde_json::to_string(state)?;
        self.store
            .save_session(&self.server_id, session_id, state, self.clock.now())
            .await?;
        Ok(())
    }

    async fn delete(&self, session_id: &str) -> Result<(), SessionStoreError> {
        self.store
            .delete_session(&self.server_id, session_id)
            .await?;
        Ok(())
    }
}
