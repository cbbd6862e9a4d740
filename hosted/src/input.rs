//! Request bodies of the admin API (also built by the CLI), as clients send them.
//!
//! Unknown fields are rejected so a typo (`expire_at`) fails loudly instead of being ignored.
//! These are raw inputs; [`crate::validate`] turns them into records.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer};

/// `POST /integrated-account`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub integration: String,
    pub credentials: BTreeMap<String, String>,
}

impl fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewAccount")
            .field("integration", &self.integration)
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// An MCP server's `config` as sent; absent fields keep their default (create) or their current
/// value (PATCH).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigInput {
    pub methods: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub require_api_token_auth: Option<bool>,
}

/// `POST /integrated-account/:id/mcp`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewServer {
    pub name: String,
    #[serde(default)]
    pub config: Option<ConfigInput>,
    /// RFC 3339; absent or null: never expires.
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// `PATCH /integrated-account/:id/mcp/:mcp_id`: only the fields present change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerPatch {
    pub name: Option<String>,
    pub config: Option<ConfigInput>,
    /// Absent: unchanged; `null`: never expires; a date-time: the new expiry.
    #[serde(default, deserialize_with = "present")]
    pub expires_at: Option<Option<String>>,
}

/// Tells an explicit `null` (`Some(None)`) from an absent field (`None`, via `default`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}
