//! Request bodies of the admin API (also built by the CLI), as clients send them.
//!
//! Unknown fields are rejected so a typo (`expire_at`) fails loudly instead of being ignored.
//! These are raw inputs; [`crate::validate`] turns them into records.

use std::collections::BTreeMap;
use std::fmt;

use mcpgen_server::Exposure;
use serde::{Deserialize, Deserializer};

/// `POST /integrated-account`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// Name of an integration this deployment serves (`chronosphere`).
    pub integration: String,
    /// Every credential the integration declares, and no other, by name. Sealed before it is
    /// stored and never returned; `Debug` shows only the names.
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
    /// `read`, `write`, `custom` or method names; an empty list keeps every method.
    pub methods: Option<Vec<String>>,
    /// Keep tools whose resource has any of these tags; an empty list keeps every tag.
    pub tags: Option<Vec<String>>,
    /// Whether callers must also send an API token as `Authorization: Bearer`.
    pub require_api_token_auth: Option<bool>,
    /// `all` or `discovery`.
    pub tool_exposure: Option<Exposure>,
    /// The largest tool answer in bytes of JSON, 1 KiB to 16 MiB.
    pub max_result_bytes: Option<usize>,
}

/// `POST /integrated-account/:id/mcp`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewServer {
    /// Unique among the account's live servers; trimmed, 1 to 200 characters, no control
    /// characters.
    pub name: String,
    /// Absent or null: every tool, no API token required.
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
    /// The new name, under the same rules as at creation.
    pub name: Option<String>,
    /// Config fields present here replace the current ones; the others are kept.
    pub config: Option<ConfigInput>,
    /// Absent: unchanged; `null`: never expires; a date-time: the new expiry.
    #[serde(default, deserialize_with = "present")]
    pub expires_at: Option<Option<String>>,
}

/// Tells an explicit `null` (`Some(None)`) from an absent field (`None`, via `default`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}
