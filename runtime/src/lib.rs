//! The hand-written runtime that mcpgen-generated code runs on.
//!
//! Generated crates describe their tools as static data ([`registry`]) and name one generic
//! [`handler()`] per tool; this crate owns everything behind that: building the upstream URL,
//! applying auth, sending with a pooled client under timeouts and size caps, mapping failures to
//! tool errors with normalised rate-limit headers, and extracting records and cursors.

#![warn(missing_docs)]

mod auth;
pub mod client;
mod credentials;
mod cursor;
mod dotted;
mod endpoint;
pub mod error;
mod execute;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod handler;
mod pagination;
mod parts;
mod public_ip;
pub mod ratelimit;
pub mod registry;
mod reply;
mod request;
mod secrets;
mod transport;

pub use client::{Credentials, UpstreamClient, UpstreamConfig};
pub use credentials::env_var;
pub use cursor::CursorKey;
pub use error::{CallError, ConfigError, RateLimit, UpstreamError};
pub use handler::{call, handler};
pub use registry::*;
pub use transport::{CredentialHosts, Transport};

/// One page of a list tool's output.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Page<T> {
    /// This page's records, in the upstream's order; empty on an empty last page.
    pub result: Vec<T>,
    /// Pass back unchanged as `next_cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}
