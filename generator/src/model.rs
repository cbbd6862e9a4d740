//! The validated model: what the integration docs mean, once every check has passed.
//!
//! `validate` is the only producer of these types and `lower` the only consumer. Nothing here
//! remembers YAML syntax or source locations; the model is plain data that later stages can trust
//! (names are checked, placeholders resolve, schemas are in the subset the emitters can map).

use std::collections::BTreeMap;

/// One integration folder (`integrations/<name>/`), validated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Integration {
    /// snake_case, used in tool names and in environment variable names.
    pub(crate) name: String,
    pub(crate) display_name: String,
    pub(crate) description: String,
    /// May hold `{credential}` placeholders, e.g. `https://{tenant}.chronosphere.io`.
    pub(crate) base_url: String,
    /// In declaration order.
    pub(crate) credentials: Vec<Credential>,
    pub(crate) auth: Auth,
    /// The integration-wide default; methods may override it.
    pub(crate) pagination: Pagination,
    pub(crate) rate_limit: RateLimitHeaders,
    /// Dotted path of the human-readable message in an upstream error body (`message`).
    pub(crate) error_message_path: Option<String>,
    /// Sorted by resource name.
    pub(crate) resources: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Credential {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) secret: bool,
}

/// How credentials are applied to every upstream request. Values are templates over credential
/// names (`"{api_token}"`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Auth {
    None,
    Header { name: String, value: String },
    Bearer { token: String },
    Basic { username: String, password: String },
    Query { name: String, value: String },
}

/// Upstream header names that carry rate-limit information, mapped to the IETF names. Each list
/// is tried in order; `Retry-After` is always consulted for `reset` when nothing else matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RateLimitHeaders {
    pub(crate) limit: Vec<String>,
    pub(crate) remaining: Vec<String>,
    pub(crate) reset: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pagination {
    None,
    /// An opaque cursor handed back by the upstream.
    Cursor {
        location: ParamLocation,
        cursor_param: String,
        limit_param: Option<String>,
        /// Dotted path in the reply body; an empty string or null there ends the list.
        next_cursor_path: String,
    },
    /// Page numbers; the next cursor is `page + 1` while a page comes back full, or while the
    /// boolean at `has_more_path` is `true` when there is one.
    Page {
        page_param: String,
        limit_param: Option<String>,
        first_page: u64,
        has_more_path: Option<String>,
    },
    /// Offsets; the next cursor is `offset + records returned` while a page comes back full, or
    /// while the boolean at `has_more_path` is `true` when there is one.
    Offset {
        offset_param: String,
        limit_param: Option<String>,
        has_more_path: Option<String>,
    },
    /// RFC 8288 `Link: <...>; rel="next"`; the cursor is the next URL.
    LinkHeader {
        limit_param: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ParamLocation {
    Query,
    Body,
}

/// One resource file (`resources/<name>.yaml`), validated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resource {
    /// Plural snake_case (`teams`).
    pub(crate) name: String,
    /// Singular snake_case (`team`).
    pub(crate) singular: String,
    pub(crate) description: String,
    /// Resource tags merged with the integration's `tool_tags`, sorted and deduplicated.
    pub(crate) tags: Vec<String>,
    /// The record field that identifies a record (`slug`); `None` for singletons.
    pub(crate) id_field: Option<String>,
    /// How a caller should fill the `id` argument ("the team's slug, not its name").
    pub(crate) id_description: Option<String>,
    /// The record schema (always an object).
    pub(crate) record: Schema,
    /// Sorted: list, get, create, update, delete, then custom methods by name.
    pub(crate) methods: Vec<Method>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum MethodKind {
    List,
    Get,
    Create,
    Update,
    Delete,
    Custom(String),
}

impl MethodKind {
    /// The standard kinds, in the order their tools are listed.
    pub(crate) const STANDARD: [MethodKind; 5] = [
        MethodKind::List,
        MethodKind::Get,
        MethodKind::Create,
        MethodKind::Update,
        MethodKind::Delete,
    ];

    /// The method's name in docs and prose: `list`, `get`, `create`, `update`, `delete`, or a
    /// custom method's own name.
    pub(crate) fn name(&self) -> &str {
        match self {
            MethodKind::Custom(name) => name,
            standard => standard.kind_word(),
        }
    }

    /// `list`, `get`, `create`, `update`, `delete`, or `custom`: what templates switch on.
    pub(crate) fn kind_word(&self) -> &'static str {
        match self {
            MethodKind::List => "list",
            MethodKind::Get => "get",
            MethodKind::Create => "create",
            MethodKind::Update => "update",
            MethodKind::Delete => "delete",
            MethodKind::Custom(_) => "custom",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum HttpVerb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpVerb {
    /// Every verb, in the order messages list them.
    pub(crate) const ALL: [HttpVerb; 5] = [
        HttpVerb::Get,
        HttpVerb::Post,
        HttpVerb::Put,
        HttpVerb::Patch,
        HttpVerb::Delete,
    ];

    /// The verb as HTTP spells it (`GET`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HttpVerb::Get => "GET",
            HttpVerb::Post => "POST",
            HttpVerb::Put => "PUT",
            HttpVerb::Patch => "PATCH",
            HttpVerb::Delete => "DELETE",
        }
    }

    /// The verb spelt exactly `text` (upper case), if there is one.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|verb| verb.as_str() == text)
    }
}

/// One piece of a method's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathSegment {
    /// Text copied as is.
    Literal(String),
    /// The value of the path argument of this name.
    Arg(String),
    /// The value of this (non-secret) credential of the account: a value that belongs to the
    /// account rather than to each call, such as GitHub's `{owner}`.
    Credential(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Method {
    pub(crate) kind: MethodKind,
    /// An explicit tool name from the doc; otherwise naming rules apply.
    pub(crate) tool_name: Option<String>,
    pub(crate) description: String,
    pub(crate) verb: HttpVerb,
    /// Path template relative to the base URL, as the doc wrote it (`/teams/{id}`).
    pub(crate) path: String,
    /// The same path split into text and placeholders, which are input field names.
    pub(crate) path_segments: Vec<PathSegment>,
    /// Object schema of the path placeholders other than `{id}`, keyed by placeholder name
    /// (every one appears in `path`; all are required).
    pub(crate) path_params: Schema,
    /// Object schema of query parameters, keyed by their upstream names.
    pub(crate) query: Schema,
    /// Whether the record's writable fields are part of the request body.
    pub(crate) body_record: bool,
    /// Key the record fields are wrapped under (`team`), if any.
    pub(crate) body_wrapper: Option<String>,
    /// Object schema of body fields sent at the top level, beside the wrapper.
    pub(crate) body: Schema,
    /// Dotted path to the record(s) in the reply (`teams`, `team`); `None` means the whole body.
    pub(crate) response_path: Option<String>,
    /// Replaces the record schema for this method's output, if given.
    pub(crate) response_schema: Option<Schema>,
    /// Effective pagination (the method's override or the integration default); list only.
    pub(crate) pagination: Pagination,
    /// Extra tags for this method's tool, merged with the resource's.
    pub(crate) tags: Vec<String>,
}

/// The subset of JSON Schema that the emitters can map to Rust types and that every major MCP
/// client accepts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Schema {
    pub(crate) description: Option<String>,
    pub(crate) kind: SchemaKind,
    /// `readOnly: true` fields are output-only: left out of create/update inputs.
    pub(crate) read_only: bool,
    /// Kept for documentation and tests; emitted as JSON Schema `examples`.
    pub(crate) examples: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SchemaKind {
    /// `format: date-time` is the only format kept (other formats are dropped at validation).
    String {
        enum_values: Vec<String>,
        date_time: bool,
    },
    Integer,
    Number,
    Boolean,
    Array(Box<Schema>),
    Object(ObjectSchema),
    /// An object with no declared properties or any JSON value (`{}`): kept as `serde_json::Value`.
    Any,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ObjectSchema {
    /// Property names as the upstream spells them.
    pub(crate) properties: BTreeMap<String, Schema>,
    pub(crate) required: Vec<String>,
}
