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
    pub display_name: &'static str,
    pub description: &'static str,
    /// Base URL template; `{credential}` placeholders are filled from the account's credentials.
    pub base_url: &'static str,
    pub credentials: &'static [CredentialSpec],
    pub auth: AuthSpec,
    pub rate_limit: RateLimitSpec,
    /// Dotted path to the message in an upstream error body (`message`).
    pub error_message_path: Option<&'static str>,
    /// Sorted by resource name, then method order.
    pub tools: &'static [&'static Tool],
}

/// A credential an account supplies (`tenant`, `api_token`).
#[derive(Debug)]
pub struct CredentialSpec {
    pub name: &'static str,
    pub description: &'static str,
    /// Secret credentials are never logged or echoed.
    pub secret: bool,
}

/// How credentials are applied to each upstream request. Values are templates over credential
/// names, e.g. `"{api_token}"`.
#[derive(Debug, Clone, Copy)]
pub enum AuthSpec {
    None,
    Header {
        name: &'static str,
        value: &'static str,
    },
    Bearer {
        token: &'static str,
    },
    Basic {
        username: &'static str,
        password: &'static str,
    },
    Query {
        name: &'static str,
        value: &'static str,
    },
}

/// Upstream header names mapped to the IETF `ratelimit-*` names, each tried in order.
/// `Retry-After` is consulted for `reset` when none of `reset` is present.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitSpec {
    pub limit: &'static [&'static str],
    pub remaining: &'static [&'static str],
    pub reset: &'static [&'static str],
}

/// The kind of operation a tool performs; drives annotations and `--methods` filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    List,
    Get,
    Create,
    Update,
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

    pub fn is_custom(self) -> bool {
        matches!(self, MethodKind::Custom(_))
    }
}

/// MCP tool annotations, decided by the generator from the method kind and verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotations {
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
    pub open_world: bool,
}

/// One MCP tool: what a client sees, plus the plan the runtime follows to serve it.
#[derive(Debug)]
pub struct Tool {
    /// Matches `^[a-zA-Z0-9_-]{1,64}$`.
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub method: MethodKind,
    /// The resource's plural name (`teams`).
    pub resource: &'static str,
    /// Resource and method tags, sorted.
    pub tags: &'static [&'static str],
    /// Input JSON Schema (client-safe subset), as JSON text; parsed once at start-up.
    pub input_schema: &'static str,
    /// Output JSON Schema, as JSON text.
    pub output_schema: &'static str,
    pub annotations: Annotations,
    pub plan: RequestPlan,
    /// Decodes arguments into the typed input, runs the plan, checks the typed output.
    pub handler: ToolHandler,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpVerb {
    Get,
    Post,
    Put,
    Patch,
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
    pub location: ArgLocation,
}

/// How the runtime turns a tool input into an upstream request and the reply into the output.
#[derive(Debug, Clone, Copy)]
pub struct RequestPlan {
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
    pub pagination: PaginationSpec,
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
    pub field: &'static str,
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
    None,
    Cursor {
        in_body: bool,
        cursor_param: &'static str,
        limit_param: Option<&'static str>,
        /// Dotted path in the reply body; empty or null ends the list.
        next_cursor_path: &'static str,
    },
    Page {
        page_param: &'static str,
        limit_param: Option<&'static str>,
        first_page: u64,
        /// Dotted path of a boolean in the reply saying whether more pages follow; when set,
        /// it decides instead of the page being full.
        has_more_path: Option<&'static str>,
    },
    Offset {
        offset_param: &'static str,
        limit_param: Option<&'static str>,
        /// As for `Page`.
        has_more_path: Option<&'static str>,
    },
    LinkHeader {
        limit_param: Option<&'static str>,
    },
}
