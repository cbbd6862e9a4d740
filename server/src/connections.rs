//! Accepting HTTP connections with limits on what a client may hold: how long a request head
//! may take, how long a body may take, how large a head may be, and how many connections may
//! be open. `mcp-server http` and hosted mode (admin API and `/mcp/<token>`) both serve through
//! [`serve`].
//!
//! `axum::serve` offers none of these: a client sending half its headers, or a body one byte at
//! a time, held its connection (and for a body, up to the body cap of memory) for as long as it
//! liked. Here hyper's HTTP/1 connection is configured directly:
//!
//! - the **head timeout** (hyper's header-read timeout) runs from the moment the server waits for
//!   a request head (a new connection, or a keep-alive connection after its last response) to
//!   the end of the head; so it also closes keep-alive connections left idle that long;
//! - the **body timeout** runs from the end of the head to the end of the body, whatever its
//!   pace; a body still arriving then fails its reader, and the request is answered 408;
//! - a head over **`max_header_bytes`** is answered 431 by hyper;
//! - a body over its cap is answered 413, and the rest of it read and discarded (up to
//!   [`MAX_DRAIN_BYTES`], within the body timeout) while the answer goes out: closing with
//!   unread bytes in the socket makes the kernel send a reset, and a client that writes its
//!   whole body before reading (most do) would see the reset instead of the 413;
//! - at **`max_connections`** open connections the server stops accepting, and new ones wait in
//!   the kernel's listen backlog until one closes.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use futures::future::BoxFuture;
use http::StatusCode;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;

use crate::drain::{self, InFlight};
use crate::units::{parse_byte_size, parse_duration};

/// Default of [`ConnectionLimits::header_timeout`].
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// Default of [`ConnectionLimits::body_timeout`].
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Default of [`ConnectionLimits::max_header_bytes`]: Envoy's default is 60 KiB, nginx's 32 KiB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 64 * 1024;
/// Default of [`ConnectionLimits::max_request_body_bytes`].
pub const DEFAULT_MAX_REQUEST_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Default of [`ConnectionLimits::max_connections`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// How long shutdown waits for open requests before it drops them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// What one HTTP client may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// The time a request head may take, counted from when the server starts waiting for it;
    /// also how long a keep-alive connection may sit idle.
    pub header_timeout: Duration,
    /// The time a request body may take, counted from the end of the head.
    pub body_timeout: Duration,
    /// Largest request head (request line and headers); larger is answered 431.
    pub max_header_bytes: usize,
    /// Largest MCP request body; larger is answered 413.
    pub max_request_body_bytes: usize,
    /// Most connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_request_body_bytes: DEFAULT_MAX_REQUEST_BODY_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// The flags that set [`ConnectionLimits`], shared by `http` and `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectionArgs {
    /// Largest MCP request body accepted (413 above): bytes, or with KiB/MiB/GiB.
    #[arg(long, value_name = "SIZE", default_value_t = DEFAULT_MAX_REQUEST_BODY_BYTES, value_parser = parse_byte_size)]
    pub max_request_bytes: usize,
    /// Time a client has to send a request's head (request line and headers), counted from
    /// when the server starts waiting for it; also closes keep-alive connections idle that long.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub header_timeout: Duration,
    /// Time a client has to send a request's body, counted from the end of its head (408 after).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub body_timeout: Duration,
    /// Largest request head (431 above): bytes, or with KiB/MiB.
    #[arg(long, value_name = "SIZE", default_value = "64KiB", value_parser = parse_byte_size)]
    pub max_header_bytes: usize,
    /// Most connections open at once; further clients wait until one closes.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS, value_parser = parse_count)]
    pub max_connections: usize,
}

impl ConnectionArgs {
    /// The limits the flags set.
    pub fn limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: self.header_timeout,
            body_timeout: self.body_timeout,
            max_header_bytes: self.max_header_bytes,
            max_request_body_bytes: self.max_request_bytes,
            max_connections: self.max_connections,
        }
    }
}

fn parse_count(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(count) => Ok(count),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes; then stops
/// accepting, lets open requests finish for a while, and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    // One non-generic accept loop, compiled here once whoever calls it.
    accept_loop(listener, app, limits, Box::pin(shutdown), None).await;
}

/// [`serve`] for an app with MCP sessions that end when `sessions` is cancelled: after
/// `shutdown`, requests other than GETs are let finish first, and only then is `sessions`
/// cancelled (which ends GET streams, so their connections can close). Cancelling it at once
/// would end the SSE reply of every session request still running with no message in it.
pub async fn serve_with_sessions(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
    sessions: CancellationToken,
) {
    accept_loop(listener, app, limits, Box::pin(shutdown), Some(sessions)).await;
}

async fn accept_loop(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    mut shutdown: BoxFuture<'static, ()>,
    sessions: Option<CancellationToken>,
) {
    let in_flight = InFlight::default();
    let app = app.layer(axum::middleware::from_fn_with_state(
        in_flight.clone(),
        drain::track,
    ));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(limits.max_header_bytes);
    let body_timeout = limits.body_timeout;
    let service = tower::service_fn(move |request: Request<Incoming>| {
        let app = app.clone();
        async move {
            let leftover = Leftover::default();
            let request = request.map(|body| {
                Body::new(Kept {
                    body: Some(Deadline::new(body, body_timeout)),
                    leftover: leftover.clone(),
                })
            });
            let response = app.oneshot(request).await;
            if let Ok(response) = &response
                && response.status() == StatusCode::PAYLOAD_TOO_LARGE
                && let Some(rest) = leftover.take()
            {
                tokio::spawn(drain(rest));
            }
            response
        }
    });
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
        let connection = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(service.clone()),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                trace_connection_end(remote, &error);
            }
            drop(permit);
        });
    }
    drop(listener);
    let end_sessions = async {
        in_flight.settled().await;
        if let Some(sessions) = &sessions {
            sessions.cancel();
        }
    };
    let drained = async { tokio::join!(graceful.shutdown(), end_sessions) };
    if tokio::time::timeout(SHUTDOWN_GRACE, drained).await.is_err() {
        if let Some(sessions) = &sessions {
            sessions.cancel();
        }
        tracing::warn!(
            "open connections did not finish within {}s of shutdown; closing them",
            SHUTDOWN_GRACE.as_secs()
        );
    }
}

/// The most of a body read and thrown away after a 413 so that the client can read it (see the
/// module doc). A body with more left than this, by its `Content-Length` or as it arrives, has
/// its connection closed instead: reading it would cost more than the answer is worth.
pub const MAX_DRAIN_BYTES: u64 = 16 * 1024 * 1024;

/// Where a request body its handler dropped unfinished waits for the response: drained after a
/// 413, dropped (so hyper closes the connection) after anything else.
#[derive(Default, Clone)]
struct Leftover(Arc<Mutex<Option<Deadline>>>);

impl Leftover {
    fn put(&self, body: Deadline) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(body);
        }
    }

    fn take(&self) -> Option<Deadline> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// A request body that, dropped before its end, hands what is left to its [`Leftover`] instead
/// of to hyper (which would close the connection at once).
struct Kept {
    body: Option<Deadline>,
    leftover: Leftover,
}

impl HttpBody for Kept {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let Some(body) = this.body.as_mut() else {
            return Poll::Ready(None);
        };
        let frame = Pin::new(body).poll_frame(cx);
        if matches!(frame, Poll::Ready(None | Some(Err(_)))) {
            // Finished or failed (a timeout): nothing is left to keep.
            this.body = None;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.body
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        if let Some(body) = self.body.take()
            && !body.is_end_stream()
        {
            self.leftover.put(body);
        }
    }
}

/// Reads and discards the rest of a refused body, up to [`MAX_DRAIN_BYTES`] and within the body
/// timeout (the [`Deadline`] carries it), so hyper can write the 413 and keep or close the
/// connection cleanly; past either bound the body is dropped and hyper closes the connection.
async fn drain(mut body: Deadline) {
    if body
        .size_hint()
        .upper()
        .is_some_and(|left| left > MAX_DRAIN_BYTES)
    {
        return;
    }
    let mut drained: u64 = 0;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(frame) = frame else { return };
        if let Some(data) = frame.data_ref() {
            drained += data.len() as u64;
            if drained > MAX_DRAIN_BYTES {
                return;
            }
        }
    }
}

/// Running out of file descriptors must not spin the accept loop.
async fn accept_failed(error: std::io::Error) {
    tracing::warn!(%error, "cannot accept a connection");
    tokio::time::sleep(Duration::from_millis(50)).await;
}

/// A client that times out or goes away is ordinary; only `debug` says so.
fn trace_connection_end(remote: SocketAddr, error: &hyper::Error) {
    if error.is_timeout() {
        tracing::debug!(%remote, "closed a connection whose request head did not arrive in time");
    } else {
        tracing::debug!(%remote, %error, "connection ended with an error");
    }
}

/// Why a request body stopped: it did not arrive within the body timeout.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {}", crate::units::format_duration(*.0))]
pub struct BodyTimeout(pub Duration);

impl BodyTimeout {
    /// The timeout somewhere in `error`'s chain, if that is why it failed.
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a BodyTimeout> {
        let mut current = Some(error);
        while let Some(error) = current {
            if let Some(timeout) = error.downcast_ref::<BodyTimeout>() {
                return Some(timeout);
            }
            current = error.source();
        }
        None
    }
}

/// A request body that fails with [`BodyTimeout`] once its deadline passes. The timer is only
/// armed when the body is not already there, so a body that came with its head costs nothing.
struct Deadline {
    inner: Incoming,
    deadline: Instant,
    timeout: Duration,
    sleep: Option<Pin<Box<Sleep>>>,
}

impl Deadline {
    fn new(inner: Incoming, timeout: Duration) -> Self {
        Self {
            inner,
            deadline: Instant::now() + timeout,
            timeout,
            sleep: None,
        }
    }
}

impl HttpBody for Deadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        let deadline = this.deadline;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimeout(this.timeout))))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
