//! `integration.yaml`: how to reach and authenticate to one API.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An mcpgen integration: how to reach and authenticate to one API. One per folder
/// (`integrations/<name>/integration.yaml`); its resources live in `resources/*.yaml` beside it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Integration")]
pub(crate) struct IntegrationDoc {
    /// snake_case; equal to the folder name. Used in tool names (`list_all_<name>_<resources>`)
    /// and in credential environment variables (`<NAME>_<CREDENTIAL>`).
    pub(crate) name: String,
    /// The name people know the API by (`Chronosphere`).
    pub(crate) display_name: String,
    /// What the API is for; shown in the generated README and server instructions.
    pub(crate) description: String,
    /// Base URL of every request. May use credential placeholders:
    /// `https://{tenant}.chronosphere.io`.
    pub(crate) base_url: String,
    /// The credentials an account supplies, by snake_case name, in the order shown to users.
    #[serde(default)]
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) credentials: BTreeMap<String, CredentialDoc>,
    /// How credentials are applied to every request.
    pub(crate) auth: AuthDoc,
    /// Default pagination of `list` methods (a method may override it). Defaults to `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pagination: Option<PaginationDoc>,
    /// Upstream headers that carry rate-limit information, mapped to the IETF names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rate_limit: Option<RateLimitDoc>,
    /// Where the human-readable message sits in an upstream error body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) errors: Option<ErrorsDoc>,
    /// Extra tags per resource name, merged into that resource's tools' tags.
    #[serde(default)]
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("default" = {}))]
    pub(crate) tool_tags: BTreeMap<String, Vec<String>>,
}

/// A value an account supplies: `CHRONOSPHERE_TENANT`, `--credential tenant=acme`, ...
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Credential")]
pub(crate) struct CredentialDoc {
    /// What the value is and where to find it.
    pub(crate) description: String,
    /// Secret values never appear in logs, errors or tool results. Defaults to `true`.
    #[serde(default = "yes")]
    #[schemars(default = "yes")]
    pub(crate) secret: bool,
}

fn yes() -> bool {
    true
}

/// How credentials are applied. Values are templates over credential names: `"{api_token}"`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "Auth")]
pub(crate) enum AuthDoc {
    /// No authentication.
    None,
    /// A request header: `API-Token: {api_token}`.
    Header {
        /// The header name (`API-Token`).
        header: String,
        /// The header value template (`"{api_token}"`).
        value: String,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The token template (`"{api_token}"`).
        token: String,
    },
    /// HTTP basic authentication.
    Basic {
        /// The user name template.
        username: String,
        /// The password template.
        password: String,
    },
    /// A query parameter added to every request.
    Query {
        /// The parameter name.
        param: String,
        /// The value template.
        value: String,
    },
}

/// How a list method walks pages.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "Pagination")]
pub(crate) enum PaginationDoc {
    /// One request returns everything.
    None,
    /// An opaque cursor handed back by the upstream.
    Cursor {
        /// Where the cursor and limit are sent. Defaults to `query`.
        #[serde(rename = "in", default, skip_serializing_if = "LocationDoc::is_query")]
        location: LocationDoc,
        /// The upstream parameter that takes the cursor (`page.token`).
        cursor_param: String,
        /// The upstream parameter that takes the page size (`page.max_size`).
        #[serde(skip_serializing_if = "Option::is_none")]
        limit_param: Option<String>,
        /// Dotted path of the next cursor in the reply body (`page.next_token`); an empty
        /// string or null there ends the list.
        next_cursor_path: String,
    },
    /// Page numbers; the next page is `page + 1` while pages come back full (or while the
    /// reply's `has_more_path` is `true`).
    Page {
        /// The upstream parameter that takes the page number.
        page_param: String,
        /// The upstream parameter that takes the page size.
        #[serde(skip_serializing_if = "Option::is_none")]
        limit_param: Option<String>,
        /// The number of the first page. Defaults to 1.
        #[serde(default = "one")]
        #[schemars(default = "one")]
        first_page: u64,
        /// Dotted path of a boolean in the reply body that says whether more pages follow
        /// (`more`); when set, it alone decides.
        has_more_path: Option<String>,
    },
    /// Offsets; the next offset is `offset + records returned` while pages come back full (or
    /// while the reply's `has_more_path` is `true`).
    Offset {
        /// The upstream parameter that takes the offset.
        offset_param: String,
        /// The upstream parameter that takes the page size.
        #[serde(skip_serializing_if = "Option::is_none")]
        limit_param: Option<String>,
        /// Dotted path of a boolean in the reply body that says whether more pages follow
        /// (`more`); when set, it alone decides.
        has_more_path: Option<String>,
    },
    /// RFC 8288 `Link: <...>; rel="next"` headers.
    LinkHeader {
        /// The upstream parameter that takes the page size.
        #[serde(skip_serializing_if = "Option::is_none")]
        limit_param: Option<String>,
    },
}

fn one() -> u64 {
    1
}

/// Where cursor pagination parameters go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Location")]
pub(crate) enum LocationDoc {
    #[default]
    Query,
    Body,
}

impl LocationDoc {
    /// Whether this is the default, `query` (left out when a doc is written).
    fn is_query(&self) -> bool {
        *self == LocationDoc::Query
    }
}

/// Upstream rate-limit headers, each list tried in order; `Retry-After` is always consulted
/// for `reset` when nothing else matched.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RateLimit")]
pub(crate) struct RateLimitDoc {
    /// Headers carrying the request quota (`X-RateLimit-Limit`).
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("default" = []))]
    pub(crate) limit: Vec<String>,
    /// Headers carrying the requests left (`X-RateLimit-Remaining`).
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("default" = []))]
    pub(crate) remaining: Vec<String>,
    /// Headers carrying when the quota resets (`X-RateLimit-Reset`).
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("default" = []))]
    pub(crate) reset: Vec<String>,
}

/// How to read upstream error bodies.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Errors")]
pub(crate) struct ErrorsDoc {
    /// Dotted path of the human-readable message in an error body (`message`, `error.detail`).
    pub(crate) message_path: String,
}
