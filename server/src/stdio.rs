//! The stdio transport: newline-delimited JSON-RPC over any pair of byte streams.
//!
//! rmcp ends the whole connection when the first message is not a request (its handshake
//! expects `initialize`, `server/discover` or a request with 2026-07-28 `_meta`). A stray
//! notification or response before that is a client bug, not a reason to exit, so
//! [`SkipUntilRequest`] drops such messages until the first request arrives. Everything after
//! is rmcp's, which answers malformed lines with JSON-RPC errors and keeps reading.

use std::borrow::Cow;
use std::future::Future;

use rmcp::RoleServer;
use rmcp::model::ClientJsonRpcMessage;
use rmcp::service::TxJsonRpcMessage;
use rmcp::transport::Transport;
use rmcp::transport::async_rw::AsyncRwTransport;
use tokio::io::{AsyncRead, AsyncWrite};

/// The server side of a stdio-style connection over `reader` and `writer`.
pub(crate) fn transport<R, W>(
    reader: R,
    writer: W,
) -> SkipUntilRequest<AsyncRwTransport<RoleServer, R, W>>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    SkipUntilRequest {
        inner: AsyncRwTransport::new_server(reader, writer),
        started: false,
    }
}

/// Passes messages through once the first request has been seen; drops the others before it.
pub(crate) struct SkipUntilRequest<T> {
    inner: T,
    started: bool,
}

impl<T: Transport<RoleServer>> Transport<RoleServer> for SkipUntilRequest<T> {
    type Error = T::Error;

    fn name() -> Cow<'static, str> {
        T::name()
    }

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        self.inner.send(item)
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            let message = self.inner.receive().await?;
            if self.started || matches!(message, ClientJsonRpcMessage::Request(_)) {
                self.started = true;
                return Some(message);
            }
            tracing::warn!(
                "ignoring a message sent before the first request (expected initialize)"
            );
        }
    }

    fn close(&mut self) -> impl Future<Output = Result<(), Self::Error>> + Send {
        self.inner.close()
    }
}
