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
