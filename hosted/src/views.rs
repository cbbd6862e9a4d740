//! What the admin API and the CLI show of records: never a credential, never a token hash, and
//! a raw token or URL only in the one reply that creates it.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::model::{AccountRecord, ApiTokenRecord, AuditRecord, ServerConfig, ServerRecord};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AccountView {
    pub id: String,
    pub integration: String,
    pub created_at: String,
}

impl From<&AccountRecord> for AccountView {
    fn from(account: &AccountRecord) -> Self {
        Self {
            id: account.id.clone(),
            integration: account.integration.clone(),
            created_at: timestamp(account.created_at),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServerView {
    pub id: String,
    pub integrated_account_id: String,
    pub name: String,
    pub config: ServerConfig,
    pub expires_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// `<public url>/mcp/<token>`: only in the reply that creates the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl From<&ServerRecord> for ServerView {
    fn from(server: &ServerRecord) -> Self {
        Self {
            id: server.id.clone(),
            integrated_account_id: server.account_id.clone(),
            name: server.name.clone(),
            config: server.config.clone(),
            expires_at: server.expires_at.map(timestamp),
            created_at: timestamp(server.created_at),
            updated_at: timestamp(server.updated_at),
            url: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ApiTokenView {
    pub id: String,
    pub created_at: String,
    /// The raw token: only in the reply that creates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl From<&ApiTokenRecord> for ApiTokenView {
    fn from(token: &ApiTokenRecord) -> Self {
        Self {
            id: token.id.clone(),
            created_at: timestamp(token.created_at),
            token: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AuditView {
    pub id: String,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: AuditTarget,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AuditTarget {
    pub kind: String,
    pub id: Option<String>,
}

impl From<&AuditRecord> for AuditView {
    fn from(record: &AuditRecord) -> Self {
        let entry = &record.entry;
        Self {
            id: record.id(),
            at: timestamp(entry.at),
            actor: entry.actor.clone(),
            action: entry.action.clone(),
            target: AuditTarget {
                kind: entry.target_kind.clone(),
                id: entry.target_id.clone(),
            },
            detail: entry.detail.clone(),
        }
    }
}

/// RFC 3339 in UTC with a `Z`, with milliseconds only when they are not zero.
pub(crate) fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
