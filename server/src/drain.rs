//! Requests in flight when shutdown begins.
//!
//! A 2025-11-25 reply is an SSE stream of its session, and ending the sessions (which is what
//! ends GET streams, so that their connections can close) also ends the stream of any request
//! still running in one: its client gets a `200` with no JSON-RPC message in it. So shutdown
//! waits until no request other than a GET is in flight, and only then ends the sessions.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Body as HttpBody, Frame, SizeHint};
use tokio::sync::Notify;

/// Counts the requests other than GETs whose replies are not yet fully sent.
#[derive(Debug, Clone, Default)]
pub(crate) struct InFlight(Arc<Count>);

#[derive(Debug, Default)]
struct Count {
    requests: AtomicUsize,
    settled: Notify,
}

impl InFlight {
    fn enter(&self) -> Guard {
        self.0.requests.fetch_add(1, Ordering::SeqCst);
        Guard(Arc::clone(&self.0))
    }

    /// Completes once no tracked request is in flight.
    pub(crate) async fn settled(&self) {
        loop {
            // Created before the check, so a last request ending in between still wakes it.
            let notified = self.0.settled.notified();
            if self.0.requests.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

struct Guard(Arc<Count>);

impl Drop for Guard {
    fn drop(&mut self) {
        if self.0.requests.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.settled.notify_waiters();
        }
    }
}

/// Middleware: tracks every request but GETs (a GET stream lasts until the sessions end, so
/// waiting for it would wait for ever) until its reply's body is sent or dropped.
pub(crate) async fn track(
    State(in_flight): State<InFlight>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::GET {
        return next.run(request).await;
    }
    let guard = in_flight.enter();
    next.run(request).await.map(|inner| {
        Body::new(Tracked {
            inner,
            _guard: guard,
        })
    })
}

/// A reply body that holds its request's [`Guard`] until hyper has sent it or dropped it.
struct Tracked {
    inner: Body,
    _guard: Guard,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn settles_when_the_last_request_ends() {
        let in_flight = InFlight::default();
        in_flight.settled().await;
        let first = in_flight.enter();
        let second = in_flight.enter();
        let waiter = tokio::spawn({
            let in_flight = in_flight.clone();
            async move { in_flight.settled().await }
        });
        drop(first);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(
            !waiter.is_finished(),
            "settled with a request still in flight"
        );
        drop(second);
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("settled after the last request")
            .expect("the waiter did not panic");
    }
}
