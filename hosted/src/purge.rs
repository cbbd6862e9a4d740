//! The background task that deletes expired MCP servers from the database.
//!
//! Expiry itself needs no task: every lookup compares `expires_at` with the clock, so a server
//! stops working and disappears from lists the moment it expires. The purge removes the rows
//! (hashes and all) and ends the expired servers' cached services and sessions; each pass also
//! drops cache entries for servers deleted by another process (the CLI), and logs an error
//! while the database's key has been rotated away from this process's.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use crate::core::Hosted;
use crate::gateway::Gateway;

/// One purge pass; returns the ids of the servers deleted.
pub async fn purge_once(hosted: &Hosted, gateway: &Gateway) -> Vec<String> {
    let purged = match hosted.purge_expired().await {
        Ok(ids) => ids,
        Err(error) => {
            tracing::warn!(%error, "purging expired MCP servers failed; retrying next interval");
            Vec::new()
        }
    };
    for id in &purged {
        gateway.forget_server(id);
    }
    if !purged.is_empty() {
        tracing::info!(count = purged.len(), servers = ?purged, "purged expired MCP servers");
    }
    match hosted.purge_sessions().await {
        Ok(0) => {}
        Ok(count) => tracing::info!(count, "forgot stored sessions older than a day"),
        Err(error) => tracing::warn!(%error, "purging old sessions failed; retrying next interval"),
    }
    gateway.sweep().await;
    // Said on every pass until someone acts: the server cannot pick up a key it was not given.
    if let Ok(true) = hosted.key_rotated().await {
        tracing::error!(
            "MCP_SECRET_KEY was rotated (mcp-server keys rotate) after this server started; \
             restart it with MCP_SECRET_KEY set to the new key: until then new accounts are \
             refused and accounts not yet in use cannot be opened"
        );
    }
    purged
}

/// Runs [`purge_once`] every `interval` (the first pass at once) until `shutdown`.
pub fn spawn(
    hosted: Arc<Hosted>,
    gateway: Arc<Gateway>,
    interval: Duration,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                _ = ticker.tick() => {
                    purge_once(&hosted, &gateway).await;
                }
            }
        }
    })
}
