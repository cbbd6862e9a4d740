//! Streamable HTTP serving at `/mcp`, with the safe defaults a local server needs.
//!
//! rmcp's [`StreamableHttpService`] speaks both protocol eras on one endpoint: an `initialize`
//! POST opens a 2025-11-25 session (`Mcp-Session-Id`, GET streams, DELETE), and a POST whose
//! `_meta` names 2026-07-28 (or a `server/discover`) is answered statelessly. This module
//! configures it: `Host` limited to loopback names plus `--allowed-host`, `Origin` validation
//! switched on (rmcp leaves it off) with loopback origins plus `--allowed-origin`, a request
//! body cap (413), connection limits (`crate::connections`), and a loopback-only bind unless the
//! operator opts out. [`Endpoint::handle`] is the one door to an endpoint: it reads the body
//! (within the cap and the body timeout), tries the direct route, hands the rest to rmcp, and
//! turns rmcp's 415 for an undecodable body into the 400 and JSON-RPC error (`-32700` /
//! `-32600` / `-32602`) a client can act on. Hosted mode calls it only after a request's token
//! has been resolved, so nothing is read from a request to an unknown server.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use futures::StreamExt;
use http::{HeaderValue, Method, StatusCode, header};
use rmcp::transport::streamable_http_server::session::SessionStore;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{SessionId, SessionManager};
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::connections::{self, BodyTimeout, ConnectionLimits};
use crate::error::Error;
use crate::fast_path::{FastPath, is_json};
use crate::handler::McpHandler;
use futures::future::BoxFuture;

/// The path the MCP endpoint is served at.
pub const MCP_PATH: &str = "/mcp";

/// Browser origins accepted by default: loopback pages on any port. DNS rebinding is stopped
/// by the `Host` check; this stops other sites' pages from driving the server.
const LOOPBACK_ORIGINS: &[&str] = &[
    "http://localhost:*",
    "http://127.0.0.1:*",
    "http://[::1]:*",
    "https://localhost:*",
    "https://127.0.0.1:*",
    "https://[::1]:*",
];

/// `Host` values accepted by default (any port).
const LOOPBACK_HOSTS: &[&str] = &["localhost", "127.0.0.1", "::1"];

/// How the HTTP endpoint is exposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOptions {
    /// Address to bind; port 0 picks a free one. Default `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// Extra `Origin` values, as `scheme://host[:port|:*]` or `null`; loopback is always allowed.
    pub allowed_origins: Vec<String>,
    /// Extra `Host` values (`name` or `name:port`); loopback is always allowed.
    pub allowed_hosts: Vec<String>,
    /// Permit a non-loopback `listen` address.
    pub allow_non_loopback: bool,
    /// Head and body timeouts and sizes, and the connection cap.
    pub limits: ConnectionLimits,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            allowed_origins: Vec::new(),
            allowed_hosts: Vec::new(),
            allow_non_loopback: false,
            limits: ConnectionLimits::default(),
        }
    }
}

impl HttpOptions {
    /// The defaults, listening on `listen`.
    pub fn new(listen: SocketAddr) -> Self {
        Self {
            listen,
            ..Self::default()
        }
    }

    /// Checks the bind address and origins; run before binding so mistakes stop start-up.
    pub fn validate(&self) -> Result<(), Error> {
        if !self.listen.ip().is_loopback() && !self.allow_non_loopback {
            return Err(Error::NonLoopbackListen { addr: self.listen });
        }
        for origin in &self.allowed_origins {
            normalize_origin(origin)?;
        }
        Ok(())
    }

    /// Every accepted `Host`: loopback names, the bind address, and `--allowed-host`.
    pub(crate) fn host_allowlist(&self) -> Vec<String> {
        let mut hosts: Vec<String> = LOOPBACK_HOSTS.iter().map(|h| (*h).to_owned()).collect();
        if !self.listen.ip().is_loopback() && !self.listen.ip().is_unspecified() {
            // The operator chose this address, so clients will name it in `Host`.
            hosts.push(self.listen.ip().to_string());
        }
        hosts.extend(self.allowed_hosts.iter().cloned());
        hosts
    }

    pub(crate) fn rmcp_config(
        &self,
        shutdown: CancellationToken,
    ) -> Result<StreamableHttpServerConfig, Error> {
        let mut origins: Vec<String> = LOOPBACK_ORIGINS.iter().map(|o| (*o).to_owned()).collect();
        for origin in &self.allowed_origins {
            origins.push(normalize_origin(origin)?);
        }
        Ok(StreamableHttpServerConfig::default()
            .with_allowed_hosts(self.host_allowlist())
            .with_allowed_origins(origins)
            .enforce_origin_validation()
            .with_max_request_body_bytes(self.limits.max_request_body_bytes)
            // Sessions serve 2025-11-25 clients; 2026-07-28 requests are stateless either way.
            .with_legacy_session_mode(true)
            // Stateless answers are single JSON documents unless the handler streams.
            .with_json_response(true)
            .with_cancellation_token(shutdown))
    }
}

/// The `/mcp` router for `handler`. `shutdown` ends open sessions and streams when cancelled.
pub fn router(
    handler: McpHandler,
    options: &HttpOptions,
    shutdown: CancellationToken,
) -> Result<Router, Error> {
    let endpoint = Arc::new(Endpoint::new(handler, options, shutdown)?);
    Ok(Router::new().nest_service(MCP_PATH, any(serve_mcp).with_state(endpoint)))
}

/// One MCP endpoint: rmcp's service with its own sessions, and the direct route in front of it.
/// Hosted mode keeps one per MCP server.
pub struct Endpoint {
    pub(crate) service: StreamableHttpService<McpHandler, LocalSessionManager>,
    sessions: Arc<LocalSessionManager>,
    session_store: Option<Arc<dyn SessionStore>>,
    pub(crate) fast_path: FastPath,
    pub(crate) handler: McpHandler,
    max_request_body_bytes: usize,
}

impl Endpoint {
    /// An endpoint serving `handler`; `shutdown` ends its sessions and streams when cancelled.
    pub fn new(
        handler: McpHandler,
        options: &HttpOptions,
        shutdown: CancellationToken,
    ) -> Result<Self, Error> {
        Self::with_session_store(handler, options, shutdown, None)
    }

    /// [`Endpoint::new`] whose 2025-11-25 sessions are also kept in `session_store` (what the
    /// client sent in `initialize`), so that another process serving the same MCP server, a
    /// replica behind the same balancer, restores a session it did not open.
    pub fn with_session_store(
        handler: McpHandler,
        options: &HttpOptions,
        shutdown: CancellationToken,
        session_store: Option<Arc<dyn SessionStore>>,
    ) -> Result<Self, Error> {
        options.validate()?;
        let rmcp_handler = handler.clone();
        let sessions: Arc<LocalSessionManager> = Arc::default();
        let mut config = options.rmcp_config(shutdown)?;
        config.session_store = session_store.clone();
        Ok(Self {
            service: StreamableHttpService::new(
                move || Ok(rmcp_handler.clone()),
                Arc::clone(&sessions),
                config,
            ),
            sessions,
            session_store,
            fast_path: FastPath::new(&options.host_allowlist()),
            handler,
            max_request_body_bytes: options.limits.max_request_body_bytes,
        })
    }

    /// Answers one request to the endpoint: a JSON POST on the direct route when it can, else
    /// through rmcp with its 415 for an undecodable body turned into a JSON-RPC error; a DELETE
    /// with the statuses clients expect; anything else as rmcp answers it.
    ///
    /// The future is boxed so that its machinery (rmcp's service among it) is compiled once, in
    /// this crate, however many crates call it: an `async fn` this small is inlined across
    /// crates, and with it every generic it instantiates (2 MB of the hosted binary).
    pub fn handle(&self, request: Request) -> BoxFuture<'_, Response> {
        Box::pin(self.route(request, Route::DirectWhenRecognised))
    }

    /// [`Self::handle`] with the direct route on or off (the differential tests compare the two).
    pub(crate) async fn route(&self, request: Request, route: Route) -> Response {
        if request.method() == Method::DELETE {
            return self.delete(request).await;
        }
        if request.method() != Method::POST || !is_json(request.headers().get(header::CONTENT_TYPE))
        {
            return self.rmcp(request).await;
        }
        let (parts, body) = request.into_parts();
        let body = match read_capped(body, self.max_request_body_bytes).await {
            Ok(body) => body,
            // Passed on as sent, so rmcp's checks (Host, Origin, size) keep their statuses.
            Err(Unread::TooLarge(replay)) => {
                return self.rmcp(Request::from_parts(parts, replay)).await;
            }
            Err(Unread::Failed(error)) => return unread_body(&error),
        };
        if route == Route::DirectWhenRecognised
            && self.fast_path.may_answer(&parts.method, &parts.headers)
            && let Some(response) = self.fast_path.answer(&self.handler, &parts, &body).await
        {
            return response;
        }
        let response = self
            .rmcp(Request::from_parts(parts, Body::from(body.clone())))
            .await;
        if response.status() != StatusCode::UNSUPPORTED_MEDIA_TYPE {
            return response;
        }
        undecodable_body(&body).into_response()
    }

    /// Whether the session is open here or kept in the session store for another process.
    async fn knows(&self, id: &SessionId) -> bool {
        if self.sessions.has_session(id).await.unwrap_or(false) {
            return true;
        }
        match &self.session_store {
            Some(store) => matches!(store.load(id.as_ref()).await, Ok(Some(_))),
            None => false,
        }
    }

    async fn rmcp(&self, request: Request) -> Response {
        self.service.handle(request).await.map(Body::new)
    }

    /// rmcp ends a session with 202 and answers a DELETE naming a session it does not know like
    /// a close; clients (the official Python SDK among them) expect 204, and the 2025-11-25
    /// transport rules 404 for an unknown session. rmcp still sees the request first, so its
    /// Host and Origin checks keep their status codes.
    async fn delete(&self, request: Request) -> Response {
        let session = request
            .headers()
            .get("mcp-session-id")
            .and_then(|value| value.to_str().ok())
            .map(SessionId::from);
        let known = match &session {
            Some(id) => self.knows(id).await,
            None => true,
        };
        let mut response = self.rmcp(request).await;
        if !known && response.status().is_success() {
            let body = json!({
                "jsonrpc": "2.0",
                "id": null,
                "error": {"code": -32600, "message": "unknown or expired Mcp-Session-Id"},
            });
            return (StatusCode::NOT_FOUND, axum::Json(body)).into_response();
        }
        if response.status() == StatusCode::ACCEPTED {
            *response.status_mut() = StatusCode::NO_CONTENT;
        }
        response
    }
}

/// Whether [`Endpoint::route`] may answer on the direct route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    DirectWhenRecognised,
    #[cfg_attr(not(test), allow(dead_code))]
    RmcpOnly,
}

async fn serve_mcp(State(endpoint): State<Arc<Endpoint>>, request: Request) -> Response {
    endpoint.handle(request).await
}

/// Why a body was not read whole.
pub(crate) enum Unread {
    /// Over the cap: a body that replays what was read followed by the rest, so the next
    /// handler sees the request as sent and answers it with its own status code.
    TooLarge(Body),
    /// The client stopped sending, too slowly or at all.
    Failed(axum::Error),
}

/// Reads the whole body if it is at most `limit` bytes.
pub(crate) async fn read_capped(body: Body, limit: usize) -> Result<Bytes, Unread> {
    let mut stream = body.into_data_stream();
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut read = 0;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) if read + chunk.len() <= limit => {
                read += chunk.len();
                chunks.push(chunk);
            }
            Ok(chunk) => {
                let replay = chunks.into_iter().chain(std::iter::once(chunk)).map(Ok);
                return Err(Unread::TooLarge(Body::from_stream(
                    futures::stream::iter(replay).chain(stream),
                )));
            }
            Err(error) => return Err(Unread::Failed(error)),
        }
    }
    // A body that arrives in one chunk (every buffered body) is passed on without a copy.
    Ok(match chunks.len() {
        1 => chunks.swap_remove(0),
        _ => chunks.concat().into(),
    })
}

/// The answer to a body that stopped arriving: 408 when it was too slow, 400 otherwise. The
/// connection is closed, since the rest of the body may still be on its way.
fn unread_body(error: &axum::Error) -> Response {
    let (status, message) = match BodyTimeout::find(error) {
        Some(timeout) => (StatusCode::REQUEST_TIMEOUT, timeout.to_string()),
        None => (
            StatusCode::BAD_REQUEST,
            "the request body could not be read".to_owned(),
        ),
    };
    let body = json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": -32600, "message": message},
    });
    let mut response = (status, axum::Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Binds `options.listen`, prints `listening on http://ADDR/mcp` to stderr, and serves until
/// Ctrl-C or SIGTERM.
pub async fn serve(handler: McpHandler, options: HttpOptions) -> Result<(), Error> {
    options.validate()?;
    let listener = TcpListener::bind(options.listen)
        .await
        .map_err(|source| Error::Bind {
            addr: options.listen,
            source,
        })?;
    serve_listener(handler, listener, &options, shutdown_signal()).await
}

/// Serves on an already bound listener until `shutdown` completes.
pub async fn serve_listener(
    handler: McpHandler,
    listener: TcpListener,
    options: &HttpOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let addr = listener.local_addr().map_err(Error::Http)?;
    let token = CancellationToken::new();
    let app = router(handler, options, token.clone())?;
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "serving on a non-loopback address; anyone who can reach it can call the tools");
    }
    // Tests and wrappers parse this line, so it is printed whatever the log level.
    eprintln!("listening on http://{addr}{MCP_PATH}");
    tracing::info!(%addr, "serving MCP over Streamable HTTP");
    // The token ends sessions and their streams, once requests in flight have been answered.
    connections::serve_with_sessions(listener, app, options.limits, shutdown, token).await;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

/// `scheme://host[:port|:*]` with an explicit port (the scheme default when none is given, so
/// `https://app.example` means exactly what a browser sends), or `null`.
fn normalize_origin(origin: &str) -> Result<String, Error> {
    let invalid = |reason: &str| Error::InvalidOrigin {
        origin: origin.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = origin.trim().trim_end_matches('/');
    if trimmed == "null" {
        return Ok(trimmed.to_owned());
    }
    let Some((scheme, authority)) = trimmed.split_once("://") else {
        return Err(invalid(
            "expected scheme://host[:port], e.g. https://app.example.com",
        ));
    };
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err(invalid("the scheme must be http or https")),
    };
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
        return Err(invalid(
            "an origin is scheme://host[:port] with no path, query or user",
        ));
    }
    let has_port = match authority.rsplit_once(':') {
        // `[::1]` has colons inside the brackets; only a colon after `]` starts a port.
        Some((host, port)) if !host.is_empty() && !port.contains(']') => {
            if port != "*" && port.parse::<u16>().is_err() {
                return Err(invalid("the port must be a number or `*`"));
            }
            true
        }
        _ => false,
    };
    Ok(if has_port {
        format!("{scheme}://{authority}")
    } else {
        format!("{scheme}://{authority}:{default_port}")
    })
}

/// The JSON-RPC error for a body rmcp could not decode as a message.
fn undecodable_body(body: &[u8]) -> (StatusCode, [(header::HeaderName, &'static str); 1], String) {
    let (id, code, message) = match serde_json::from_slice::<Value>(body) {
        Err(error) => (
            Value::Null,
            -32700,
            format!("Parse error: the body is not valid JSON ({error})"),
        ),
        Ok(Value::Array(_)) => (
            Value::Null,
            -32600,
            "Invalid Request: JSON-RPC batches are not supported; send one message per POST"
                .to_owned(),
        ),
        Ok(Value::Object(message)) => {
            let id = message
                .get("id")
                .filter(|id| id.is_string() || id.is_number())
                .cloned();
            let well_formed = message.get("jsonrpc") == Some(&json!("2.0")) && id.is_some();
            match (message.get("method").and_then(Value::as_str), message.get("params")) {
                (Some(method), Some(params)) if well_formed && !params.is_object() => (
                    id.unwrap_or(Value::Null),
                    -32602,
                    format!("Invalid params for `{method}`: `params` must be an object"),
                ),
                _ => (
                    id.unwrap_or(Value::Null),
                    -32600,
                    "Invalid Request: a JSON-RPC 2.0 message needs `\"jsonrpc\": \"2.0\"`, a string or \
                     number `id` for requests, and a string `method` (or a `result`/`error` for responses)"
                        .to_owned(),
                ),
            }
        }
        Ok(_) => (
            Value::Null,
            -32600,
            "Invalid Request: a JSON-RPC message is a JSON object".to_owned(),
        ),
    };
    let body = json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } });
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn origins_get_an_explicit_port() {
        assert_eq!(
            normalize_origin("https://app.example.com").unwrap(),
            "https://app.example.com:443"
        );
        assert_eq!(
            normalize_origin("http://app.example.com/").unwrap(),
            "http://app.example.com:80"
        );
        assert_eq!(
            normalize_origin("http://localhost:3000").unwrap(),
            "http://localhost:3000"
        );
        assert_eq!(normalize_origin("http://[::1]").unwrap(), "http://[::1]:80");
        assert_eq!(
            normalize_origin("http://[::1]:*").unwrap(),
            "http://[::1]:*"
        );
        assert_eq!(normalize_origin("null").unwrap(), "null");
    }

    #[test]
    fn malformed_origins_are_rejected() {
        for origin in [
            "app.example.com",
            "ftp://x",
            "https://x/path",
            "https://x:port",
            "https://",
        ] {
            assert!(normalize_origin(origin).is_err(), "{origin}");
        }
    }

    #[test]
    fn undecodable_bodies_map_to_json_rpc_codes() {
        let code = |body: &str| -> i64 {
            let (status, _, text) = undecodable_body(body.as_bytes());
            assert_eq!(status, StatusCode::BAD_REQUEST);
            serde_json::from_str::<Value>(&text).unwrap()["error"]["code"]
                .as_i64()
                .unwrap()
        };
        assert_eq!(code("{not json"), -32700);
        assert_eq!(code("[]"), -32600);
        assert_eq!(code("42"), -32600);
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[1]}"#),
            -32602
        );
        assert_eq!(
            code(r#"{"jsonrpc":"1.0","id":1,"method":"tools/call","params":[1]}"#),
            -32600
        );
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":{},"method":"tools/list"}"#),
            -32600
        );
        assert_eq!(code(r#"{"hello":"world"}"#), -32600);
    }
}
