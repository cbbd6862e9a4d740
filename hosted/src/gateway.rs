//! `/mcp/<token>`: each MCP server's Streamable HTTP endpoint, both protocol eras.
//!
//! Every request first resolves its token against the store (by SHA-256, expiry checked at
//! that instant) and, for servers with `require_api_token_auth`, checks the bearer API token;
//! only then is it handed to the server's endpoint. So deleting or expiring a server stops
//! every request at once, including those of open sessions. Unknown, deleted and expired tokens
//! all get the same 404.
//!
//! Per server, one [`Endpoint`] (an rmcp service with its own session table and cancellation
//! token, behind the direct route of `crate::fast_path`) serves [`McpHandler`] over the
//! account's filtered catalog; per account, one
//! [`UpstreamClient`], all sharing one connection pool. Both are cached and rebuilt when the
//! server's config changes; deleting or purging a server cancels its service, which closes
//! its open sessions and streams.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use mcpgen_runtime::UpstreamClient;
use rmcp::model::CacheScope;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::api_error::ApiError;
use crate::bearer::bearer;
use crate::core::Hosted;
use crate::error::HostedError;
use crate::model::{AccountRecord, ServerConfig, ServerRecord};
use crate::validate;
use mcpgen_server::DEFAULT_MAX_RESULT_BYTES;
use mcpgen_server::catalog::Catalog;
use mcpgen_server::handler::{HandlerOptions, ListCaching, McpHandler};
use mcpgen_server::http::{Endpoint, HttpOptions};

/// The route of every MCP server.
pub const ROUTE: &str = "/mcp/{token}";

/// How long a 2026-07-28 client may cache `tools/list`; a PATCH may change the list, and it
/// differs per server, so the scope is private.
const LIST_CACHING: ListCaching = ListCaching {
    ttl_ms: 60_000,
    scope: CacheScope::Private,
};

/// One server's live endpoint (rmcp service and direct route) and what it was built from.
struct Served {
    account_id: String,
    config: ServerConfig,
    endpoint: Arc<Endpoint>,
    cancel: CancellationToken,
}

/// How long an account whose credentials cannot build a client is answered from memory
/// (without decrypting them again), and how often that is logged.
const UNUSABLE_RECHECK: Duration = Duration::from_secs(60);

/// An account found unusable, and when.
struct Unusable {
    since: Instant,
    message: String,
}

/// Builds and caches the per-server services and per-account upstream clients.
pub struct Gateway {
    hosted: Arc<Hosted>,
    catalogs: HashMap<&'static str, Catalog>,
    options: HttpOptions,
    shutdown: CancellationToken,
    clients: Mutex<HashMap<String, UpstreamClient>>,
    unusable: Mutex<HashMap<String, Unusable>>,
    services: Mutex<HashMap<String, Served>>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("integrations", &self.catalogs.keys())
            .finish_non_exhaustive()
    }
}

/// What the gateway needs beyond the hosted state (which says how upstreams are reached).
#[derive(Debug, Clone, Default)]
pub struct GatewayOptions {
    /// Host and Origin validation and the request size cap, as in `http` mode.
    pub http: HttpOptions,
}

impl Gateway {
    /// Parses every integration's schemas once; a broken one stops start-up.
    pub fn new(
        hosted: Arc<Hosted>,
        options: GatewayOptions,
        shutdown: CancellationToken,
    ) -> Result<Self, mcpgen_server::error::Error> {
        options.http.validate()?;
        let catalogs = hosted
            .integrations()
            .iter()
            .map(|integration| Ok((integration.name, Catalog::new(integration)?)))
            .collect::<Result<_, mcpgen_server::error::Error>>()?;
        Ok(Self {
            hosted,
            catalogs,
            options: options.http,
            shutdown,
            clients: Mutex::default(),
            unusable: Mutex::default(),
            services: Mutex::default(),
        })
    }

    /// The endpoint for `server`, built (or rebuilt after a config change) on demand.
    fn endpoint_for(
        &self,
        server: &ServerRecord,
        account: &AccountRecord,
    ) -> Result<Arc<Endpoint>, HostedError> {
        let current =
            |served: &Served| served.config == server.config && served.account_id == account.id;
        if let Some(served) = lock(&self.services)
            .get(&server.id)
            .filter(|served| current(served))
        {
            return Ok(Arc::clone(&served.endpoint));
        }
        let client = self.client_for(account)?;
        let catalog = self
            .catalogs
            .get(account.integration.as_str())
            .ok_or_else(|| {
                HostedError::Internal(format!(
                    "no catalog for integration {:?}",
                    account.integration
                ))
            })?;
        let catalog = catalog
            .select(&validate::stored_filter(&server.config)?)
            .map_err(|error| {
                HostedError::Internal(format!(
                    "MCP server {} cannot be served: {error}",
                    server.id
                ))
            })?;
        let handler = McpHandler::with_options(
            catalog,
            client,
            HandlerOptions {
                caching: LIST_CACHING,
                exposure: server.config.tool_exposure,
                max_result_bytes: server
                    .config
                    .max_result_bytes
                    .unwrap_or(DEFAULT_MAX_RESULT_BYTES),
            },
        );
        let cancel = self.shutdown.child_token();
        let sessions = Arc::new(self.hosted.sessions_of(&server.id));
        let endpoint =
            Endpoint::with_session_store(handler, &self.options, cancel.clone(), Some(sessions))
                .map(Arc::new)
                .map_err(|error| HostedError::Internal(error.to_string()))?;

        let mut services = lock(&self.services);
        // A concurrent first request may have built one meanwhile: keep it (and its sessions).
        if let Some(served) = services.get(&server.id).filter(|served| current(served)) {
            cancel.cancel();
            return Ok(Arc::clone(&served.endpoint));
        }
        let served = Served {
            account_id: account.id.clone(),
            config: server.config.clone(),
            endpoint: Arc::clone(&endpoint),
            cancel,
        };
        if let Some(replaced) = services.insert(server.id.clone(), served) {
            replaced.cancel.cancel();
        }
        Ok(endpoint)
    }

    /// The account's upstream client, on the shared connection pool. An account whose
    /// credentials cannot build one is answered from memory for [`UNUSABLE_RECHECK`], and logged
    /// once per period, so whoever holds its URL can neither flood the log nor make the server
    /// decrypt the credentials on every request.
    fn client_for(&self, account: &AccountRecord) -> Result<UpstreamClient, HostedError> {
        if let Some(client) = lock(&self.clients).get(&account.id) {
            return Ok(client.clone());
        }
        if let Some(known) = lock(&self.unusable).get(&account.id)
            && known.since.elapsed() < UNUSABLE_RECHECK
        {
            return Err(HostedError::Unusable {
                message: known.message.clone(),
            });
        }
        match self.hosted.upstream_client(account) {
            Ok(client) => {
                lock(&self.unusable).remove(&account.id);
                Ok(lock(&self.clients)
                    .entry(account.id.clone())
                    .or_insert(client)
                    .clone())
            }
            Err(HostedError::Unusable { message }) => {
                tracing::error!(account = %account.id, %message, "integrated account cannot be served; answering 503 until it is replaced");
                lock(&self.unusable).insert(
                    account.id.clone(),
                    Unusable {
                        since: Instant::now(),
                        message: message.clone(),
                    },
                );
                Err(HostedError::Unusable { message })
            }
            Err(other) => Err(other),
        }
    }

    /// Drops a server's service and ends its sessions.
    pub fn forget_server(&self, id: &str) {
        if let Some(served) = lock(&self.services).remove(id) {
            served.cancel.cancel();
        }
    }

    /// Drops an account's upstream client and every service of its servers.
    pub fn forget_account(&self, id: &str) {
        lock(&self.clients).remove(id);
        lock(&self.unusable).remove(id);
        lock(&self.services).retain(|_, served| {
            let keep = served.account_id != id;
            if !keep {
                served.cancel.cancel();
            }
            keep
        });
    }

    /// Drops cached services and clients whose server or account is gone (deleted by another
    /// process, such as the CLI, or expired).
    pub async fn sweep(&self) {
        let servers: Vec<String> = lock(&self.services).keys().cloned().collect();
        for id in servers {
            match self.hosted.server(None, &id).await {
                Err(HostedError::NotFound { .. }) => self.forget_server(&id),
                Err(error) => {
                    tracing::warn!(server = %id, %error, "cannot check a cached MCP server")
                }
                Ok(_) => {}
            }
        }
        lock(&self.unusable).retain(|_, known| known.since.elapsed() < UNUSABLE_RECHECK);
        let accounts: Vec<String> = lock(&self.clients).keys().cloned().collect();
        for id in accounts {
            match self.hosted.account(&id).await {
                Err(HostedError::NotFound { .. }) => self.forget_account(&id),
                Err(error) => {
                    tracing::warn!(account = %id, %error, "cannot check a cached account")
                }
                Ok(_) => {}
            }
        }
    }

    /// How many servers have a live service (for tests and diagnostics).
    pub fn cached_servers(&self) -> usize {
        lock(&self.services).len()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The one answer for unknown, deleted and expired tokens.
fn no_such_server() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no MCP server at this URL",
    )
    .into_response()
}

/// Serves one request to `/mcp/<token>`. The token never reaches a log line.
pub async fn handle(
    State(gateway): State<Arc<Gateway>>,
    token: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    // A token that does not even decode is just another unknown token.
    let Ok(Path(token)) = token else {
        return no_such_server();
    };
    let (server, account) = match gateway.hosted.resolve(&token).await {
        Ok(Some(found)) => found,
        Ok(None) => return no_such_server(),
        Err(error) => return ApiError::from(error).into_response(),
    };
    if server.config.require_api_token_auth {
        let valid = match bearer(request.headers()) {
            Some(api_token) => gateway.hosted.api_token_valid(api_token).await,
            None => Ok(false),
        };
        match valid {
            Ok(true) => {}
            Ok(false) => {
                return ApiError::unauthorized(
                    "this MCP server requires an API token: send `Authorization: Bearer <api token>`",
                )
                .into_response();
            }
            Err(error) => return ApiError::from(error).into_response(),
        }
    }
    match gateway.endpoint_for(&server, &account) {
        Ok(endpoint) => {
            let span = tracing::info_span!("mcp", server = %server.id, account = %account.id);
            endpoint.handle(request).instrument(span).await
        }
        Err(error) => ApiError::from(error).into_response(),
    }
}
