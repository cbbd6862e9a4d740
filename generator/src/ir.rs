//! The tool IR: every decision about what a tool is, made once, for the emitters to read.
//!
//! [`crate::lower`] is the only producer. By the time a value is here, names are final (Rust
//! identifiers, statics, client methods), descriptions are rendered from the templates,
//! annotations are decided and every input argument knows where it goes upstream. Emitters only
//! translate this into Rust, JSON Schema and prose; they make no choices of their own.
//!
//! Schemas, auth, rate-limit headers and pagination are plain data in the model already and are
//! reused as they are.

use crate::model::{Auth, HttpVerb, MethodKind, Pagination, PathSegment, RateLimitHeaders, Schema};

/// One integration, ready to emit as a crate (or a single file).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Integration {
    /// snake_case (`chronosphere`).
    pub(crate) name: String,
    pub(crate) display_name: String,
    pub(crate) description: String,
    pub(crate) base_url: String,
    pub(crate) credentials: Vec<Credential>,
    pub(crate) auth: Auth,
    pub(crate) rate_limit: RateLimitHeaders,
    pub(crate) error_message_path: Option<String>,
    /// Package name (`mcpgen-chronosphere`).
    pub(crate) crate_name: String,
    /// Library name (`mcpgen_chronosphere`).
    pub(crate) lib_name: String,
    /// The typed client (`ChronosphereClient`).
    pub(crate) client_type: String,
    /// Sorted by resource name.
    pub(crate) resources: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Credential {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) secret: bool,
    /// `CHRONOSPHERE_API_TOKEN`.
    pub(crate) env_var: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resource {
    /// Plural snake_case (`teams`).
    pub(crate) name: String,
    /// Singular snake_case (`team`).
    pub(crate) singular: String,
    pub(crate) description: String,
    pub(crate) tags: Vec<String>,
    /// The Rust module and file stem (`teams`).
    pub(crate) module: String,
    /// The record struct (`Team`).
    pub(crate) record_type: String,
    /// The record schema (an object).
    pub(crate) record: Schema,
    /// In model order: list, get, create, update, delete, then custom methods.
    pub(crate) tools: Vec<Tool>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tool {
    /// The MCP tool name (`list_all_chronosphere_teams`).
    pub(crate) name: String,
    /// Rendered from `templates/tool_title.txt.j2`.
    pub(crate) title: String,
    /// Rendered from `templates/tool_description.md.j2`: the doc's words plus usage notes.
    pub(crate) description: String,
    pub(crate) method: MethodKind,
    pub(crate) tags: Vec<String>,
    pub(crate) annotations: Annotations,
    /// The `static` holding the tool (`LIST_ALL_CHRONOSPHERE_TEAMS`).
    pub(crate) static_name: String,
    /// The `const` holding its plan (`LIST_ALL_CHRONOSPHERE_TEAMS_PLAN`).
    pub(crate) plan_name: String,
    /// The input struct (`ListAllChronosphereTeamsInput`).
    pub(crate) input_type: String,
    /// The typed client's method (`list_teams`).
    pub(crate) client_method: String,
    /// Every argument except `limit` and `next_cursor`, in schema order: path, query, record,
    /// body, each sorted by name.
    pub(crate) inputs: Vec<InputField>,
    /// Present on list tools whose pagination has a page-size parameter.
    pub(crate) limit: Option<PaginationArg>,
    /// Present on list tools that paginate.
    pub(crate) next_cursor: Option<PaginationArg>,
    pub(crate) output: Output,
    pub(crate) plan: Plan,
}

/// MCP annotations; see `docs/architecture.md` for how each is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Annotations {
    pub(crate) read_only: bool,
    pub(crate) destructive: bool,
    pub(crate) idempotent: bool,
    pub(crate) open_world: bool,
}

/// Where an argument goes in the upstream request (mirrors the runtime's `ArgLocation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ArgLocation {
    Path,
    Query,
    /// A record field, inside the body wrapper when there is one.
    Record,
    /// A top-level body field beside the wrapper.
    Body,
}

/// One tool argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InputField {
    /// The argument's name in the tool input (`page_max_size`, `id`, `userEmails`).
    pub(crate) name: String,
    /// The upstream's name for it (`page.max_size`, `slug`).
    pub(crate) upstream: String,
    pub(crate) location: ArgLocation,
    /// The argument's schema; its description is the argument's description.
    pub(crate) schema: Schema,
    pub(crate) required: bool,
}

/// `limit` or `next_cursor`: handled by the runtime's pagination, not by the plan's args.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PaginationArg {
    /// Rendered from a template.
    pub(crate) description: String,
}

/// What a tool returns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Output {
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
pub(crate) enum OutputRecord {
    /// The resource's record struct.
    Resource,
    /// The method's `response_schema`, emitted as its own type (`<Tool>Output`).
    Custom { type_name: String, schema: Schema },
}

impl Plan {
    /// The path as its doc wrote it (`/api/v1/config/teams/{id}`).
    pub(crate) fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) => text.clone(),
                PathSegment::Arg(name) | PathSegment::Credential(name) => format!("{{{name}}}"),
            })
            .collect()
    }
}

/// A path argument copied into the body's record (mirrors the runtime's `RecordId`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecordId {
    /// The record field (`slug`).
    pub(crate) field: String,
    /// The path argument (`id`).
    pub(crate) arg: String,
}

/// The upstream request (mirrors the runtime's `RequestPlan`; args come from `Tool::inputs`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub(crate) verb: HttpVerb,
    pub(crate) path: Vec<PathSegment>,
    pub(crate) body_wrapper: Option<String>,
    /// Update bodies name the record they replace: this path argument is also sent as this
    /// record field.
    pub(crate) record_id: Option<RecordId>,
    pub(crate) response_path: Option<String>,
    pub(crate) pagination: Pagination,
}
