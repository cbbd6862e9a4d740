//! The hosted mode's records as stored, and the MCP server filter configuration.
//!
//! Records carry only what may rest in the database: credentials sealed (see
//! [`crate::crypto::Cipher`]), tokens as SHA-256 hashes. The JSON views the admin API returns
//! are built from these in [`crate::admin`].

use chrono::{DateTime, Utc};
use mcpgen_server::Exposure;
use serde::{Deserialize, Serialize};

use crate::crypto::TokenHash;

/// Id prefixes, so an id says what it names (and a cursor of the wrong kind is caught).
pub(crate) const ACCOUNT_PREFIX: &str = "acct";
pub(crate) const SERVER_PREFIX: &str = "mcp";
pub(crate) const API_TOKEN_PREFIX: &str = "tok";

/// An integrated account: one integration plus the credentials of one upstream tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRecord {
    /// `acct_` and hex digits; ids sort by creation time.
    pub id: String,
    /// The integration's name (`chronosphere`).
    pub integration: String,
    /// The credentials as a JSON object, sealed with the account id as associated data.
    pub sealed_credentials: Vec<u8>,
    /// Creation time, to the millisecond.
    pub created_at: DateTime<Utc>,
}

/// Which of the account's tools an MCP server exposes, and whether it needs an API token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConfig {
    /// `read`, `write`, `custom` or exact method names; empty keeps every method.
    pub methods: Vec<String>,
    /// A tool is kept when its resource has any of these tags; empty keeps every tag.
    pub tags: Vec<String>,
    /// Callers must also send an API token as `Authorization: Bearer`.
    pub require_api_token_auth: bool,
    /// `all` lists every kept tool; `discovery` lists `search_tools`, `describe_tools` and
    /// `call_tool` over them. Configs stored before it existed read as `all`.
    #[serde(default)]
    pub tool_exposure: Exposure,
    /// The largest tool answer in bytes of JSON; `None` is the default (128 KiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_result_bytes: Option<usize>,
}

/// An MCP server: a filtered view of one account's tools behind a secret URL.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerRecord {
    /// `mcp_` and hex digits; ids sort by creation time.
    pub id: String,
    /// The integrated account whose credentials the server calls the upstream with.
    pub account_id: String,
    /// Unique among the account's live servers.
    pub name: String,
    /// Which tools it exposes, and whether it needs an API token.
    pub config: ServerConfig,
    /// SHA-256 of the URL token; the token itself is shown once, at creation.
    pub token_hash: TokenHash,
    /// `None`: never expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// Creation time, to the millisecond.
    pub created_at: DateTime<Utc>,
    /// Time of the last update that changed something; `created_at` until then.
    pub updated_at: DateTime<Utc>,
}

impl ServerRecord {
    /// Not expired at `now`: a server stops being live at its `expires_at`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|expires_at| expires_at > now)
    }
}

/// An API token, required by servers with `require_api_token_auth`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiTokenRecord {
    /// `tok_` and hex digits; ids sort by creation time.
    pub id: String,
    /// SHA-256 of the token; the token itself is shown once, at creation.
    pub token_hash: TokenHash,
    /// Creation time, to the millisecond.
    pub created_at: DateTime<Utc>,
}

pub(crate) const AUDIT_PREFIX: &str = "aud";

/// Who made a change, as the audit log names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Actor {
    /// A caller of the admin API holding `MCP_ADMIN_TOKEN` (the only admin credential).
    Admin,
    /// An operator running an `mcp-server` command against the database.
    Cli,
}

impl Actor {
    /// `admin` or `cli`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Admin => "admin",
            Actor::Cli => "cli",
        }
    }
}

/// One change to record in the audit log, written in the same transaction as the change so
/// neither exists without the other. `detail` never holds a secret: no credential, token, URL
/// or key, only names, ids, filters and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// When the change was made, to the millisecond.
    pub at: DateTime<Utc>,
    /// `admin`, `cli` ([`Actor::as_str`]).
    pub actor: String,
    /// `account.create`, `server.update`, `key.rotate`, ...
    pub action: String,
    /// `integrated_account`, `mcp_server`, `api_token` or `database`.
    pub target_kind: String,
    /// The record changed; `None` for changes to the whole database (key rotation).
    pub target_id: Option<String>,
    /// A small JSON object of non-secret facts (a server's name and filters, a count).
    pub detail: serde_json::Value,
}

impl AuditEntry {
    /// An entry for `action` on `kind` `id` by `actor` at `at`, with no detail yet.
    pub fn new(
        at: DateTime<Utc>,
        actor: Actor,
        action: &str,
        target_kind: &str,
        target_id: Option<&str>,
    ) -> Self {
        Self {
            at,
            actor: actor.as_str().to_owned(),
            action: action.to_owned(),
            target_kind: target_kind.to_owned(),
            target_id: target_id.map(str::to_owned),
            detail: serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    /// The same entry with `detail`.
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// A stored audit entry: its place in commit order, and the entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// Increases with every entry committed, whichever process wrote it; never reused.
    pub seq: i64,
    /// What was recorded.
    pub entry: AuditEntry,
}

impl AuditRecord {
    /// The public id, `aud_` and 28 hex digits of [`AuditRecord::seq`]: the same shape as
    /// other ids, so list cursors work the same way, and sorting by id is commit order.
    pub fn id(&self) -> String {
        audit_id(self.seq)
    }
}

/// The id of the audit entry with sequence number `seq`.
pub(crate) fn audit_id(seq: i64) -> String {
    format!("{AUDIT_PREFIX}_{seq:028x}")
}

/// The sequence number of an audit id made by [`audit_id`].
pub(crate) fn audit_seq(id: &str) -> Option<i64> {
    let hex = id.strip_prefix(AUDIT_PREFIX)?.strip_prefix('_')?;
    if hex.len() != 28 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    i64::from_str_radix(hex, 16).ok().filter(|seq| *seq >= 0)
}
