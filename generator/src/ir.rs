//! The tool IR: every decision about what a tool is, made once, for the emitters to read.
//!
//! [`crate::lower`] is the only producer. By the time a value is here, names are final (Rust
//! identifiers, statics, client methods), descriptions are rendered from the templates,
//! annotations are decided and every input argument knows where it goes upstream. Emitters only
//! translate this into Rust, JSON Schema and prose; they make no choices of their own.
//!
//! Schemas, auth, rate-limit headers and pagination are plain data in the model already and are
//! reused as they are.

use crate::model::{Auth, HttpVerb, MethodKind, Pagination, RateLimitHeaders, Schema};

/// One integration, ready to emit as a crate (or a single file).
#[derive(Debug, Clone, PartialEq)]
pub struct Integration {
    /// snake_case (`chronosphere`).
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub base_url: String,
    pub credentials: Vec<Credential>,
    pub auth: Auth,
    pub rate_limit: RateLimitHeaders,
    pub error_message_path: Option<String>,
    /// Package name (`mcpgen-chronosphere`).
    pub crate_name: String,
    /// Library name (`mcpgen_chronosphere`).
    pub lib_name: String,
    /// The typed client (`ChronosphereClient`).
    pub client_type: String,
    /// Sorted by resource name.
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Credential {
    pub name: String,
    pub description: String,
    pub secret: bool,
    /// `CHRONOSPHERE_API_TOKEN`.
    pub env_var: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Plural snake_case (`teams`).
    pub name: String,
    /// Singular snake_case (`team`).
    pub singular: String,
    pub description: String,
    pub tags: Vec<String>,
    /// The Rust module and file stem (`teams`).
    pub module: String,
    /// The record struct (`Team`).
    pub record_type: String,
    /// The record schema (an object).
    pub record: Schema,
    /// In model order: list, get, create, update, delete, then custom methods.
    pub tools: Vec<Tool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tool {
    /// The MCP tool name (`list_all_chronosphere_teams`).
    pub name: String,
    /// Rendered from `templates/tool_title.txt.j2`.
    pub title: String,
    /// Rendered from `templates/tool_description.md.j2`: the doc's words plus usage notes.
    pub description: String,
    pub method: MethodKind,
    pub tags: Vec<String>,
    pub annotations: Annotations,
    /// The `static` holding the tool (`LIST_ALL_CHRONOSPHERE_TEAMS`).
    pub static_name: String,
    /// The `const` holding its plan (`LIST_ALL_CHRONOSPHERE_TEAMS_PLAN`).
    pub plan_name: String,
    /// The input struct (`ListAllChronosphereTeamsInput`).
    pub input_type: String,
    /// The typed client's method (`list_teams`).
    pub client_method: String,
    /// Every argument except `limit` and `next_cursor`, in schema order: path, query, record,
    /// body, each sorted by name.
    pub inputs: Vec<InputField>,
    /// Present on list tools whose pagination has a page-size parameter.
    pub limit: Option<PaginationArg>,
    /// Present on list tools that paginate.
    pub next_cursor: Option<PaginationArg>,
    pub output: Output,
    pub plan: Plan,
}

/// MCP annotations; see `docs/architecture.md` for how each is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotations {
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
    pub open_world: bool,
}

/// Where an argument goes in the upstream request (mirrors the runtime's `ArgLocation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArgLocation {
    Path,
    Query,
    /// A record field, inside the body wrapper when there is one.
    Record,
    /// A top-level body field beside the wrapper.
    Body,
}

/// One tool argument.
#[derive(Debug, Clone, PartialEq)]
pub struct InputField {
    /// The argument's name in the tool input (`page_max_size`, `id`, `userEmails`).
    pub name: String,
    /// The upstream's name for it (`page.max_size`, `slug`).
    pub upstream: String,
    pub location: ArgLocation,
    /// The argument's schema; its description is the argument's description.
    pub schema: Schema,
    pub required: bool,
}

/// `limit` or `next_cursor`: handled by the runtime's pagination, not by the plan's args.
#[derive(Debug, Clone, PartialEq)]
pub struct PaginationArg {
    /// Rendered from a template.
    pub description: String,
}

/// What a tool returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// `{"result": [records], "next_cursor": ...}`.
    Page {
        record: OutputRecord,
        next_cursor_description: String,
    },
    /// One record.
    Record(OutputRecord),
    /// The upstream body as it is (`serde_json::Value`).
    Raw {
        /// Rendered from `templates/output_raw.txt.j2`, for the output schema.
        description: String,
    },
}

/// The record type a tool returns.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputRecord {
    /// The resource's record struct.
    Resource,
    /// The method's `response_schema`, emitted as its own type (`<Tool>Output`).
    Custom { type_name: String, schema: Schema },
}

/// The upstream request (mirrors the runtime's `RequestPlan`; args come from `Tool::inputs`).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub verb: HttpVerb,
    pub path: String,
    pub body_wrapper: Option<String>,
    pub record_id_field: Option<String>,
    pub response_path: Option<String>,
    pub pagination: Pagination,
}
