//! In-memory entry points for the fuzz targets in `fuzz/`, behind the `fuzzing` feature and
//! hidden from the docs: not part of the supported API.
//!
//! [`replay`] runs a tool call exactly as [`Upstream::execute`](crate::Upstream::execute) does,
//! except that the reply is the caller's bytes instead of what the network sent: the request is
//! prepared (arguments, `limit`, `next_cursor` checked and opened), then the reply is read by
//! the same code as a real one (status errors with rate-limit headers, the capped body, records
//! at `response_path`, the next cursor from the body or the `Link` header), and errors are
//! scrubbed of secrets on the way out.

use reqwest::ResponseBuilderExt as _;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::client::UpstreamClient;
use crate::error::UpstreamError;
use crate::registry::RequestPlan;
use crate::{execute, request};

/// Prepares `plan` with `input`, then reads `status`, `headers` and `body` as the reply to it.
pub async fn replay(
    client: &UpstreamClient,
    plan: &'static RequestPlan,
    input: Value,
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
) -> Result<Value, UpstreamError> {
    let inner = &*client.inner;
    let links = client.link_cursors(plan);
    let result = async {
        let prepared = request::prepare(&inner.base, &inner.auth, plan, input, links)?;
        let mut reply = http::Response::builder()
            .status(status)
            .url(prepared.url)
            .body(body)
            .map_err(|error| UpstreamError::Transport {
                message: error.to_string(),
            })?;
        *reply.headers_mut() = headers;
        execute::read_reply(inner, plan, prepared.page, links, reply.into()).await
    }
    .await;
    result
        .map(|(_, value)| value)
        .map_err(|error| client.scrub_error(error))
}
