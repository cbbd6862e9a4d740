//! A fake Chronosphere Config API v1 following the public swagger
//! (`tests/data/chronosphere/configv1.swagger.json`): every one of its 183 operations,
//! `API-Token` header auth, `{code, message}` errors, `page.max_size`/`page.token` in and
//! `page.next_token` out. Teams (`GET/POST /api/v1/config/teams`,
//! `GET/PUT/DELETE /api/v1/config/teams/{slug}`) are hand-written with typed records (`api.rs`,
//! `store.rs`); every other operation is served from the swagger's own route table over a store
//! of JSON records (`swagger.rs`, `generic.rs`).
//!
//! Choices the swagger leaves open: pages hold 50 teams when `page.max_size` is absent or 0, at
//! most 1000; the last page has no `next_token` (protojson omits empty strings); unknown query
//! parameters and unknown body fields are 400 (as protojson is strict), which also catches a
//! client that sends a misspelt name. A team's slug cannot change: an update whose `team.slug`
//! differs from the path is 400; only a duplicate slug on create is 409.
//!
//! Test controls live under `/_fake/` (see [`controls`]); they are not part of the API. The
//! fake is in-memory and logs nothing per request, so it can also serve as a benchmark upstream.

mod api;
pub mod controls;
mod error;
mod gate;
mod generic;
mod state;
mod store;
mod swagger;
mod time;

use std::net::SocketAddr;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use error::ApiError;
pub use state::{
    DelayPlan, FakeConfig, FakeState, REQUEST_LOG_CAPACITY, RateLimitPlan, RecordedRequest,
};
pub use store::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Team};

/// The fake as a router: the API (behind auth, forced 429s and the request log) plus the
/// `/_fake/` controls.
pub fn app(state: FakeState) -> Router {
    let api = Router::new()
        .route("/api/v1/config/teams", get(api::list).post(api::create))
        .route(
            "/api/v1/config/teams/{slug}",
            get(api::read).put(api::update).delete(api::delete),
        )
        .merge(generic::routes(swagger::table()))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(middleware::from_fn_with_state(state.clone(), gate::gate));
    let controls = Router::new()
        .route("/_fake/reset", post(controls::reset))
        .route("/_fake/seed", post(controls::seed))
        .route("/_fake/rate-limit", post(controls::rate_limit))
        .route("/_fake/delay", post(controls::delay))
        .route("/_fake/requests", get(controls::requests))
        .route("/_fake/records", post(controls::records));
    api.merge(controls).with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("Not Found")
}

async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: error::code::UNIMPLEMENTED,
        message: "Method Not Allowed".into(),
    }
}

/// A running fake; dropping it stops the server.
#[derive(Debug)]
pub struct FakeHandle {
    addr: SocketAddr,
    state: FakeState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl FakeHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base URL to give a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn state(&self) -> &FakeState {
        &self.state
    }

    /// Stops accepting requests and waits for in-flight ones.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        match (&mut self.task).await {
            Ok(result) => result,
            Err(error) => Err(std::io::Error::other(error)),
        }
    }
}

impl Drop for FakeHandle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Binds `config.listen` and serves the fake in a background task.
pub async fn spawn(config: FakeConfig) -> std::io::Result<(SocketAddr, FakeHandle)> {
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let state = FakeState::new(&config);
    let (shutdown, stopped) = oneshot::channel::<()>();
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok((
        addr,
        FakeHandle {
            addr,
            state,
            shutdown: Some(shutdown),
            task,
        },
    ))
}
