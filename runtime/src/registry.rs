//! Static descriptions of integrations and their tools: the data generated code emits, and the
//! one trait their handlers call through.
//!
//! Generated crates hold one `static INTEGRATION: Integration` each. Everything here is
//! `'static` and `const`-constructible so a tool costs a few lines of data, not code. This is
//! the contract, so it imports nothing but the error types: a handler reaches the upstream
//! through [`Upstream`], which the client implements above it.

use std::future::Future;
use std::pin::Pin;

use serde_json::{Map, Value};

use crate::error::{CallError, UpstreamError};

/// A boxed, sendable future, as returned by tool handlers.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The handler stored in each [`Tool`]: decodes MCP arguments, runs the plan through the
/// upstream, and returns the tool's structured content. Generated code stores
/// `mcpgen_runtime::handler::<Input, Output>`.
pub type ToolHandler = for<'a> fn(
    &'a dyn Upstream,
    &'static RequestPlan,
    Map<String, Value>,
) -> BoxFuture<'a, Result<Value, CallError>>;

/// What a tool handler asks of the upstream. [`crate::UpstreamClient`] is the implementation.
pub trait Upstream: Send + Sync {
    /// Runs `plan` with `input` (a JSON object); returns the value the output type decodes from.
    fn execute<'a>(
        &'a self,
        plan: &'static RequestPlan,
        input: Value,
    ) -> BoxFuture<'a, Result<Value, UpstreamError>>;

    /// Removes the account's secret values from an error's text.
    fn scrub(&self, error: UpstreamError) -> UpstreamError;
}

/// One integration: how to reach and authenticate to an API, and its tools.
#[derive(Debug)]
pub struct Integration {
    /// snake_case name used in tool names and environment variables (`chronosphere`).
    pub name: &'static str,
    /// The name people know the API by (`Chronosphere`): the MCP server's title.
    pub display_name: &'static str,
    /// What the API is for; the MCP server's description and the start of its instructions.
    pub description: &'static str,
    /// Base URL template; `{credential}` placeholders are filled from the account's credentials.
    pub base_url: &'static str,
    /// Every credential an account must supply, in the order users are asked for them.
    pub credentials: &'static [CredentialSpec],
    /// How the credentials are put on each request.
    pub auth: AuthSpec,
    /// Which upstream headers carry the rate-limit state reported with status errors.
    pub rate_limit: RateLimitSpec,
    /// Dotted path to the message in an upstream error body (`message`).
    pub error_message_path: Option<&'static str>,
    /// Sorted by resource name, then method order.
    pub tools: &'static [&'static Tool],
    /// What each resource is, sorted by name: what discovery's search reads besides the tools.
    pub resources: &'static [ResourceSpec],
}

/// A resource of an integration (`teams`) and what it is.
#[derive(Debug)]
pub struct ResourceSpec {
    /// The plural snake_case name, as [`Tool::resource`] gives it.
    pub name: &'static str,
    /// What the resource is, from its doc.
    pub description: &'static str,
}

impl Integration {
    /// The description of resource `name`, if the integration has one by that name.
    pub fn resource_description(&self, name: &str) -> Option<&'static str> {
        self.resources
            .iter()
            .find(|resource| resource.name == name)
            .map(|resource| resource.description)
    }
}

/// A credential an account supplies (`tenant`, `api_token`).
#[derive(Debug)]
pub struct CredentialSpec {
    /// snake_case; `{name}` in templates, `<INTEGRATION>_<NAME>` in the environment.
    pub name: &'static str,
    /// What the value is and where a user finds it.
    pub description: &'static str,
    /// Secret credentials are never logged or echoed.
    pub secret: bool,
}

/// How credentials are applied to each upstream request. Values are templates over credential
/// names, e.g. `"{api_token}"`.
#[derive(Debug, Clone, Copy)]
pub enum AuthSpec {
    /// Requests carry no credentials.
    None,
    /// `<name>: <value>` on every request, marked sensitive so it is never logged.
    Header {
        /// Header name (`API-Token`).
        name: &'static str,
        /// Template of the header value (`"{api_token}"`).
        value: &'static str,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// Template of the token, without the `Bearer ` prefix.
        token: &'static str,
    },
    /// HTTP basic authentication.
    Basic {
        /// Template of the user name.
        username: &'static str,
        /// Template of the password.
        password: &'static str,
    },
    /// `?<name>=<value>` appended to every request; removed from `Link` cursors handed out.
    Query {
        /// Query parameter name (`api_key`).
        name: &'static str,
        /// Template of the parameter value.
        value: &'static str,
    },
}

/// Upstream header names mapped to the IETF `ratelimit-*` names, each tried in order.
/// `Retry-After` is consulted for `reset` when none of `reset` is present.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitSpec {
    /// Headers carrying the request quota (`X-RateLimit-Limit`).
    pub limit: &'static [&'static str],
    /// Headers carrying the requests left in the current window.
    pub remaining: &'static [&'static str],
    /// Headers carrying when the quota resets: seconds from now, or an epoch timestamp in
    /// seconds or milliseconds (converted to seconds from now).
    pub reset: &'static [&'static str],
}

/// The kind of operation a tool performs; drives annotations and `--methods` filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    /// Lists a resource's records; the only kind that paginates.
    List,
    /// Reads one record by id.
    Get,
    /// Creates a record.
    Create,
    /// Replaces or changes a record by id.
    Update,
    /// Deletes a record by id.
    Delete,
    /// A custom method, by its doc name (`archive`).
    Custom(&'static str),
}

impl MethodKind {
    /// The method's name as used in filters: `list`, `get`, ..., or the custom name.
    pub fn name(self) -> &'static str {
        match self {
            MethodKind::List => "list",
            MethodKind::Get => "get",
            MethodKind::Create => "create",
            MethodKind::Update => "update",
            MethodKind::Delete => "delete",
            MethodKind::Custom(name) => name,
        }
    }

    /// list and get.
    pub fn is_read(self) -> bool {
        matches!(self, MethodKind::List | MethodKind::Get)
    }

    /// create, update and delete.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            MethodKind::Create | MethodKind::Update | MethodKind::Delete
        )
    }

    /// A method outside the five standard ones (matched by `--methods custom`).
    pub fn is_custom(self) -> bool {
        matches!(self, MethodKind::Custom(_))
    }
}

/// MCP tool annotations, decided by the generator from the method kind and verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotations {
    /// The tool changes nothing upstream (`GET` requests).
    pub read_only: bool,
    /// The tool may overwrite or remove data: every write except a create.
    pub destructive: bool,
    /// Repeating the call with the same arguments has no further effect (`GET`, `PUT`,
    /// `DELETE`).
    pub idempotent: bool,
    /// The tool reaches an external system; always true for generated tools.
    pub open_world: bool,
}

/// One MCP tool: what a client sees, plus the plan the runtime follows to serve it.
#[derive(Debug)]
pub struct Tool {
    /// Matches `^[a-zA-Z0-9_-]{1,64}$`.
    pub name: &'static str,
    /// Short human-readable name for tool pickers (`List all Chronosphere teams`).
    pub title: &'static str,
    /// What the tool does and when to use it, as sent to models in `tools/list`.
    pub description: &'static str,
    /// The documented method the tool comes from.
    pub method: MethodKind,
    /// The resource's plural name (`teams`).
    pub resource: &'static str,
    /// Resource and method tags, sorted.
    pub tags: &'static [&'static str],
    /// Input JSON Schema (client-safe subset), as JSON text; parsed once at start-up.
    pub input_schema: &'static str,
    /// Output JSON Schema, as JSON text.
    pub output_schema: &'static str,
    /// The MCP hints clients use to decide whether to ask before calling.
    pub annotations: Annotations,
    /// How a call becomes an upstream request; the handler runs it.
    pub plan: RequestPlan,
    /// Decodes arguments into the typed input, runs the plan, checks the typed output.
    pub handler: ToolHandler,
}

/// The HTTP method of a tool's upstream request. `GET` and `DELETE` requests carry no body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpVerb {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl HttpVerb {
    /// The method as HTTP spells it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpVerb::Get => "GET",
            HttpVerb::Post => "POST",
            HttpVerb::Put => "PUT",
            HttpVerb::Patch => "PATCH",
            HttpVerb::Delete => "DELETE",
        }
    }
}

/// Where an input argument goes in the upstream request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgLocation {
    /// Fills the path placeholder of the same name; always percent-encoded as one segment.
    Path,
    /// A query parameter; arrays repeat the parameter (`slugs=a&slugs=b`).
    Query,
    /// A body field inside the wrapper (or at top level when there is no wrapper).
    Record,
    /// A body field at the top level, beside the wrapper (`dry_run`).
    Body,
}

/// Maps one input argument to its upstream place and name.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// The argument's name in the tool input (`page_size`, `id`).
    pub name: &'static str,
    /// The upstream's name for it (`page.max_size`, `slug`).
    pub upstream: &'static str,
    /// Where the value goes in the request.
    pub location: ArgLocation,
}

/// How the runtime turns a tool input into an upstream request and the reply into the output.
#[derive(Debug, Clone, Copy)]
pub struct RequestPlan {
    /// The upstream request's method.
    pub verb: HttpVerb,
    /// The path relative to the base URL, already split by the generator:
    /// `/api/v1/config/teams/{id}` is `[Literal("/api/v1/config/teams/"), Arg("id")]`.
    pub path: &'static [PathSegment],
    /// Every input argument except the pagination ones (`limit`, `next_cursor`).
    pub args: &'static [Arg],
    /// Key the `Record` args are wrapped under (`team`).
    pub body_wrapper: Option<&'static str>,
    /// Update bodies name the record they replace: see [`RecordId`].
    pub record_id: Option<RecordId>,
    /// Dotted path to the record(s) in the reply; `None` is the whole body.
    pub response_path: Option<&'static str>,
    /// Where `limit` and `next_cursor` go and how the next cursor is found;
    /// [`PaginationSpec::None`] except on paginated lists.
    pub pagination: PaginationSpec,
    /// What the tool returns from the reply.
    pub output: OutputShape,
}

impl RequestPlan {
    /// The path as its doc wrote it (`/api/v1/config/teams/{id}`), for logs and messages.
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) => (*text).to_owned(),
                PathSegment::Arg(name) | PathSegment::Credential(name) => format!("{{{name}}}"),
            })
            .collect()
    }
}

/// One piece of a tool's upstream path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSegment {
    /// Text copied as is.
    Literal(&'static str),
    /// The value of the `Path` argument of this name, percent-encoded as exactly one segment.
    Arg(&'static str),
    /// The value of the account's credential of this name (a non-secret one, such as an
    /// organisation), encoded the same way.
    Credential(&'static str),
}

/// The path argument `arg` (`id`) is also sent as the record field `field` (`slug`), unless the
/// input gave that field itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordId {
    /// The record field the id is sent as (`slug`).
    pub field: &'static str,
    /// The path argument that carries the id (`id`).
    pub arg: &'static str,
}

/// What a tool returns to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputShape {
    /// `{"result": [records], "next_cursor": string|null}`.
    Page,
    /// The record found at `response_path`.
    Record,
    /// Whatever the upstream returned (an empty body becomes `{}`).
    Raw,
}

/// Pagination rules for list tools. The tool input's `limit` and `next_cursor` map to these.
#[derive(Debug, Clone, Copy)]
pub enum PaginationSpec {
    /// One request returns everything; the tool takes no `limit` or `next_cursor`.
    None,
    /// The upstream returns an opaque token for the next page in the reply body.
    Cursor {
        /// Send the cursor and limit as body fields (dotted names nest) instead of query
        /// parameters.
        in_body: bool,
        /// Upstream parameter that takes the cursor (`page.token`); left out on the first page.
        cursor_param: &'static str,
        /// Upstream parameter that takes the page size (`page.max_size`); `None` when the
        /// upstream has none.
        limit_param: Option<&'static str>,
        /// Dotted path in the reply body; empty or null ends the list.
        next_cursor_path: &'static str,
    },
    /// Numbered pages; the cursor is the next page number, offered while pages come back full
    /// (or while `has_more_path` says more follow).
    Page {
        /// Upstream parameter that takes the page number (`page`).
        page_param: &'static str,
        /// Upstream parameter that takes the page size; `None` when the upstream has none.
        limit_param: Option<&'static str>,
        /// The number of the first page (the docs' `first_page`, default 1), requested when
        /// there is no cursor.
        first_page: u64,
        /// Dotted path of a boolean in the reply saying whether more pages follow; when set,
        /// it decides instead of the page being full.
        has_more_path: Option<&'static str>,
    },
    /// Record offsets; the cursor is the next offset, offered while pages come back full (or
    /// while `has_more_path` says more follow).
    Offset {
        /// Upstream parameter that takes the offset; not sent for offset 0.
        offset_param: &'static str,
        /// Upstream parameter that takes the page size; `None` when the upstream has none.
        limit_param: Option<&'static str>,
        /// As for `Page`.
        has_more_path: Option<&'static str>,
    },
    /// The next page is the `rel="next"` URL of an RFC 8288 `Link` header, handed out sealed
    /// (see [`crate::CursorKey`]).
    LinkHeader {
        /// Upstream parameter that takes the page size on the first request; later pages follow
        /// the link as given.
        limit_param: Option<&'static str>,
    },
}
