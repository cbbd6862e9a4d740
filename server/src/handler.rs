//! The MCP request handler: rmcp's [`ServerHandler`] implemented by hand over a [`Catalog`].
//!
//! rmcp does the protocol work for both eras (the `initialize` handshake and sessions of
//! 2025-11-25, the per-request `_meta`, `server/discover` and cache hints of 2026-07-28); this
//! type answers `tools/list` from the precomputed catalog and runs `tools/call` through the
//! tool's generated handler with the server's upstream client. It is cheap to clone (one `Arc`),
//! because the HTTP transport asks for a handler per session or stateless request.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::body::Bytes;

use futures::FutureExt;
use mcpgen_runtime::{CallError, UpstreamClient};
use rmcp::model::{
    CacheScope, CallToolRequestParams, CallToolResponse, CallToolResult, CustomRequest,
    CustomResult, Implementation, JsonObject, ListToolsResult, PaginatedRequestParams,
    ProtocolVersion, ServerCapabilities, ServerConfig, Tool as McpTool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::Value;

use crate::budget::{self, DEFAULT_MAX_RESULT_BYTES, Resume};
use crate::catalog::Catalog;
use crate::discovery::{Discovery, Exposure, MetaCall};
use crate::outcome;

/// How long a 2026-07-28 client may cache `tools/list`, and for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListCaching {
    /// Milliseconds the list may be reused (`ttlMs`). Default 5 minutes.
    pub ttl_ms: u64,
    /// Who may share a cached copy (`cacheScope`). Default public; hosted mode uses private.
    pub scope: CacheScope,
}

impl Default for ListCaching {
    /// The list is fixed for the life of the process and does not depend on who asks, so any
    /// cache may keep it for a while; a restart with other filters is the only change.
    fn default() -> Self {
        Self {
            ttl_ms: 5 * 60 * 1000,
            scope: CacheScope::Public,
        }
    }
}

/// How a handler serves its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerOptions {
    /// The `tools/list` cache hints of 2026-07-28.
    pub caching: ListCaching,
    /// The catalog, or three discovery meta-tools.
    pub exposure: Exposure,
    /// The largest answer, in bytes of JSON: longer pages come in parts, a larger record is
    /// an error that says how to narrow it ([`DEFAULT_MAX_RESULT_BYTES`]).
    pub max_result_bytes: usize,
}

impl Default for HandlerOptions {
    fn default() -> Self {
        Self {
            caching: ListCaching::default(),
            exposure: Exposure::All,
            max_result_bytes: DEFAULT_MAX_RESULT_BYTES,
        }
    }
}

/// Serves one catalog with one upstream client.
#[derive(Clone)]
pub struct McpHandler {
    inner: Arc<Inner>,
}

struct Inner {
    catalog: Catalog,
    client: UpstreamClient,
    info: ServerConfig,
    caching: ListCaching,
    /// The meta-tools and search index, in discovery exposure; `None` lists the catalog.
    discovery: Option<Discovery>,
    /// The largest `structuredContent` a call returns, in bytes of JSON.
    max_result_bytes: usize,
    /// The 2026-07-28 `tools/list` result as JSON, encoded on first use: it never changes for
    /// this handler, and at 1,000 tools encoding it is milliseconds while copying it is not.
    modern_list_json: OnceLock<Option<Bytes>>,
}

/// What a `tools/call` came to, before either transport path encodes it.
pub(crate) enum CallOutcome {
    /// The tool's structured output.
    Output(Value),
    /// A tool result with `isError` set (the upstream failed).
    Failed(CallToolResult),
    /// A JSON-RPC error (unknown tool, invalid arguments, a panicking handler).
    Refused(ErrorData),
}

impl McpHandler {
    /// A handler with the default [`HandlerOptions`].
    pub fn new(catalog: Catalog, client: UpstreamClient) -> Self {
        Self::with_options(catalog, client, HandlerOptions::default())
    }

    /// A handler with explicit [`HandlerOptions`]: cache hints, exposure and result budget.
    pub fn with_options(catalog: Catalog, client: UpstreamClient, options: HandlerOptions) -> Self {
        let info = server_config(&catalog);
        let discovery = (options.exposure == Exposure::Discovery).then(|| Discovery::new(&catalog));
        Self {
            inner: Arc::new(Inner {
                catalog,
                client,
                info,
                caching: options.caching,
                max_result_bytes: options.max_result_bytes,
                discovery,
                modern_list_json: OnceLock::new(),
            }),
        }
    }

    /// Every tool `tools/list` lists, all pages together: the catalog, or the three
    /// meta-tools in discovery exposure.
    pub fn listed_tools(&self) -> Vec<McpTool> {
        match &self.inner.discovery {
            Some(discovery) => discovery.tools().to_vec(),
            None => self.inner.catalog.mcp_tools(),
        }
    }

    /// Answers a `tools/call` of `name` with `arguments` as the transports do: a tool result
    /// (`isError` set when the upstream failed), or the JSON-RPC error a client would get.
    pub async fn call(
        &self,
        name: &str,
        arguments: JsonObject,
    ) -> Result<CallToolResult, ErrorData> {
        match self.run_tool(name, arguments).await {
            CallOutcome::Output(output) => Ok(outcome::success(output)),
            CallOutcome::Failed(result) => Ok(result),
            CallOutcome::Refused(error) => Err(error),
        }
    }

    /// Which tools `tools/list` shows.
    pub fn exposure(&self) -> Exposure {
        if self.inner.discovery.is_some() {
            Exposure::Discovery
        } else {
            Exposure::All
        }
    }

    /// The tools this handler serves.
    pub(crate) fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The `tools/list` result; `modern` (2026-07-28 and later) adds the cache hints. Older
    /// revisions have none, and rmcp's defaults for the newer one (0 ms, private) would make
    /// clients re-list on every use of a list that never changes.
    fn list_result(
        &self,
        modern: bool,
        cursor: Option<&str>,
    ) -> Result<ListToolsResult, ErrorData> {
        let page = match (&self.inner.discovery, cursor) {
            (Some(discovery), None) => Ok((discovery.tools().to_vec(), None)),
            (Some(_), Some(cursor)) => Err(crate::catalog::InvalidCursor(cursor.to_owned())),
            (None, cursor) => self.inner.catalog.page(cursor),
        };
        let (tools, next_cursor) = page.map_err(|invalid| {
            ErrorData::invalid_params(
                format!(
                    "invalid cursor `{}`: pass back a nextCursor from this server's tools/list, \
                     or no cursor for the first page",
                    invalid.0
                ),
                None,
            )
        })?;
        let mut result = ListToolsResult::with_all_items(tools);
        result.next_cursor = next_cursor;
        if modern {
            result.ttl_ms = Some(self.inner.caching.ttl_ms);
            result.cache_scope = Some(self.inner.caching.scope);
        }
        Ok(result)
    }

    /// [`Self::list_result`]'s first page for 2026-07-28, encoded once (`None` if it cannot be encoded,
    /// which leaves the request to rmcp and its error reporting).
    pub(crate) fn modern_list_json(&self) -> Option<&Bytes> {
        self.inner
            .modern_list_json
            .get_or_init(|| {
                let first_page = self.list_result(true, None).ok()?;
                serde_json::to_vec(&first_page).ok().map(Bytes::from)
            })
            .as_ref()
    }

    /// Runs the tool called `name`: a catalog tool, or in discovery exposure a meta-tool (whose
    /// `call_tool` runs a catalog tool exactly as a direct call would).
    pub(crate) async fn run_tool(&self, name: &str, arguments: JsonObject) -> CallOutcome {
        let Some(discovery) = &self.inner.discovery else {
            return self.run_catalog_tool(name, arguments).await;
        };
        match discovery.call(&self.inner.catalog, name, arguments) {
            Ok(MetaCall::Answered(output)) => {
                tracing::info!(tool = name, "meta-tool call succeeded");
                CallOutcome::Output(output)
            }
            Ok(MetaCall::Call { name, arguments }) => self.run_catalog_tool(&name, arguments).await,
            Err(error) => {
                tracing::info!(tool = name, "meta-tool call rejected");
                CallOutcome::Refused(error)
            }
        }
    }

    /// Runs catalog tool `name` with `arguments` through its generated handler and the
    /// upstream client; the one place a call is logged and a panicking handler is contained.
    async fn run_catalog_tool(&self, name: &str, mut arguments: JsonObject) -> CallOutcome {
        let Some(entry) = self.inner.catalog.get(name) else {
            tracing::info!(tool = name, "call to an unknown or hidden tool");
            return CallOutcome::Refused(outcome::unknown_tool(name, &self.inner.catalog));
        };
        let tool = entry.tool;
        let chosen = match entry
            .fields
            .as_ref()
            .map(|fields| fields.take(&mut arguments))
        {
            Some(Err(message)) => {
                tracing::info!(
                    tool = tool.name,
                    field = "fields",
                    "tool call rejected: invalid arguments"
                );
                return CallOutcome::Refused(outcome::invalid_arguments(
                    tool.name,
                    format!("invalid arguments: {message}"),
                ));
            }
            Some(Ok(chosen)) => chosen,
            None => None,
        };
        let page = tool.plan.output == mcpgen_runtime::OutputShape::Page;
        let resume = if page {
            Resume::take(&mut arguments)
        } else {
            Resume::default()
        };
        let started = Instant::now();
        let call = (tool.handler)(&self.inner.client, &tool.plan, arguments);
        let result = AssertUnwindSafe(call).catch_unwind().await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match result {
            Ok(Ok(mut output)) => {
                tracing::info!(tool = tool.name, elapsed_ms, "tool call succeeded");
                if let (Some(fields), Some(chosen)) = (&entry.fields, &chosen) {
                    fields.apply(&mut output, chosen);
                }
                let budget = self.inner.max_result_bytes;
                let fitted = if page {
                    budget::fit_page(&mut output, &resume, budget)
                } else {
                    budget::fit_record(&output, budget)
                };
                match fitted {
                    Ok(()) => CallOutcome::Output(output),
                    Err(size) => {
                        tracing::info!(tool = tool.name, size, budget, "tool result over budget");
                        CallOutcome::Failed(budget::too_large(
                            tool.name,
                            size,
                            budget,
                            entry.fields.is_some(),
                        ))
                    }
                }
            }
            Ok(Err(CallError::InvalidArguments(message))) => {
                // serde's text may quote the rejected value: log only the field it names.
                let field = message.split('`').nth(1).unwrap_or(".");
                tracing::info!(tool = tool.name, elapsed_ms, %field, "tool call rejected: invalid arguments");
                CallOutcome::Refused(outcome::invalid_arguments(
                    tool.name,
                    format!("invalid arguments: {message}"),
                ))
            }
            Ok(Err(CallError::Upstream(error))) => {
                // A 4xx is an answer the agent acts on; timeouts, refused connections and 5xx
                // are what an operator wants to see.
                if error.status().is_some_and(|status| status < 500) {
                    tracing::info!(
                        tool = tool.name,
                        elapsed_ms,
                        kind = error.kind(),
                        status = error.status(),
                        "tool call failed upstream: {error}"
                    );
                } else {
                    tracing::warn!(
                        tool = tool.name,
                        elapsed_ms,
                        kind = error.kind(),
                        status = error.status(),
                        "tool call failed upstream: {error}"
                    );
                }
                CallOutcome::Failed(outcome::upstream_failure(&error))
            }
            Err(_) => {
                tracing::error!(tool = tool.name, elapsed_ms, "tool handler panicked");
                CallOutcome::Refused(outcome::handler_panicked(tool.name))
            }
        }
    }
}

impl std::fmt::Debug for McpHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpHandler")
            .field("integration", &self.inner.catalog.integration().name)
            .field("tools", &self.inner.catalog.len())
            .finish_non_exhaustive()
    }
}

fn server_config(catalog: &Catalog) -> ServerConfig {
    let integration = catalog.integration();
    let implementation = Implementation::new(
        format!("mcpgen-{}", integration.name),
        env!("CARGO_PKG_VERSION"),
    )
    .with_title(integration.display_name)
    .with_description(integration.description);
    ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
        // rmcp answers `initialize` with the newest handshake revision the client can take;
        // naming it here keeps the value truthful when read elsewhere.
        .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
        .with_server_info(implementation)
        .with_instructions(format!(
            "Tools for the {} API. {} Tool errors from the upstream come back as results with \
             isError set; nothing is retried for you.",
            integration.display_name,
            integration.description.trim_end()
        ))
}

impl ServerHandler for McpHandler {
    fn get_info(&self) -> ServerConfig {
        self.inner.info.clone()
    }

    fn get_tool(&self, name: &str) -> Option<McpTool> {
        match &self.inner.discovery {
            Some(discovery) => discovery.tool(name).cloned(),
            None => self.inner.catalog.get(name).map(|entry| entry.mcp.clone()),
        }
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let cursor = request.and_then(|params| params.cursor);
        let modern = context
            .protocol_version()
            .is_some_and(|version| version.as_str() >= ProtocolVersion::V_2026_07_28.as_str());
        self.list_result(modern, cursor.as_deref())
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arguments = request.arguments.unwrap_or_default();
        self.call(request.name.as_ref(), arguments)
            .await
            .map(Into::into)
    }

    /// rmcp decodes a standard method with malformed params (`"name": 5`) as a custom request;
    /// answer those with `-32602` naming the problem instead of "method not found".
    async fn on_custom_request(
        &self,
        request: CustomRequest,
        _context: RequestContext<RoleServer>,
    ) -> Result<CustomResult, ErrorData> {
        Err(outcome::unroutable(
            &request.method,
            request.params.as_ref(),
        ))
    }
}
