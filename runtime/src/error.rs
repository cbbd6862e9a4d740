//! The runtime's errors: [`ConfigError`] when a client cannot be built, [`UpstreamError`] when a
//! call fails, and [`CallError`], what a tool handler returns.
//!
//! Every message is written for the person or agent who has to act on it, and none carries a
//! credential value: the client scrubs secrets from upstream text before an error leaves it.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value};

/// Why an [`crate::UpstreamClient`] could not be built from an integration, credentials and
/// configuration. Messages name credentials, never their values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error(
        "missing credential{} for {integration}: {}; set {} or pass them explicitly",
        plural(names.len()),
        quoted(names),
        env_vars.join(", ")
    )]
    MissingCredentials {
        integration: &'static str,
        names: Vec<&'static str>,
        env_vars: Vec<String>,
    },
    #[error(
        "unknown credential `{name}` for {integration}; expected one of {}",
        quoted(expected)
    )]
    UnknownCredential {
        integration: &'static str,
        name: String,
        expected: Vec<&'static str>,
    },
    #[error("credential `{name}` of {integration} {reason}")]
    InvalidCredential {
        integration: &'static str,
        name: &'static str,
        reason: String,
    },
    #[error("invalid base URL `{template}`: {reason}")]
    InvalidBaseUrl { template: String, reason: String },
    #[error(
        "credential `{credential}` makes the upstream host of {integration} {reason}; a host \
         chosen by a credential must be a public DNS name here"
    )]
    PrivateHost {
        integration: &'static str,
        credential: String,
        reason: String,
    },
    #[error("invalid auth settings for {integration}: {reason}")]
    InvalidAuth {
        integration: &'static str,
        reason: String,
    },
    #[error(
        "base URL `{template}` uses HTTPS, but this binary was built without TLS: enable the \
         `rustls` feature of `mcpgen-server` (or `rustls` / `native-tls` of `mcpgen-runtime`)"
    )]
    TlsUnavailable { template: String },
    #[error("could not build the HTTP client: {0}")]
    HttpClient(String),
}

/// Rate-limit state reported by the upstream, normalised to the IETF `ratelimit-*` meanings:
/// `reset` is always seconds from now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub reset: Option<u64>,
}

impl RateLimit {
    pub fn is_empty(&self) -> bool {
        self.limit.is_none() && self.remaining.is_none() && self.reset.is_none()
    }

    /// Adds the known values to `object` under their IETF names.
    fn write_to(&self, object: &mut Map<String, Value>) {
        for (key, value) in [
            ("ratelimit-limit", self.limit),
            ("ratelimit-remaining", self.remaining),
            ("ratelimit-reset", self.reset),
        ] {
            if let Some(value) = value {
                object.insert(key.to_owned(), Value::from(value));
            }
        }
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (key, value) in [
            ("ratelimit-limit", self.limit),
            ("ratelimit-remaining", self.remaining),
            ("ratelimit-reset", self.reset),
        ] {
            if let Some(value) = value {
                f.write_str(if first { "" } else { ", " })?;
                write!(f, "{key}: {value}")?;
                first = false;
            }
        }
        Ok(())
    }
}

/// Why an upstream call failed. The runtime never retries: the caller decides.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum UpstreamError {
    /// The upstream answered with a non-2xx status.
    #[error("{}", status_text(*status, message, rate_limit))]
    Status {
        status: u16,
        message: String,
        rate_limit: RateLimit,
    },
    #[error(
        "the upstream did not answer within {} (the upstream timeout is configurable)",
        seconds(*after)
    )]
    Timeout { after: Duration },
    /// `message` starts with the upstream origin.
    #[error("could not connect to the upstream at {message}")]
    Connect { message: String },
    #[error("the upstream request failed: {message}")]
    Transport { message: String },
    #[error(
        "the upstream replied with HTTP {status} and a body that is not JSON ({detail}): {snippet}"
    )]
    NotJson {
        status: u16,
        detail: String,
        snippet: String,
    },
    #[error(
        "the upstream reply is larger than {limit} bytes, the configured limit; narrow the request \
         (a smaller `limit`, more filters) or raise the limit"
    )]
    TooLarge { limit: usize },
    /// The reply is JSON but does not decode as the documented output type.
    #[error("the upstream reply does not match the documented shape at `{path}`: {message}")]
    UnexpectedReply { path: String, message: String },
    /// The input cannot be turned into a request (an empty path argument, a foreign cursor).
    #[error("{message}")]
    InvalidInput { message: String },
}

impl UpstreamError {
    /// The upstream HTTP status, for [`UpstreamError::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            UpstreamError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A stable name for the kind of failure, also sent as `error.kind` by [`Self::to_json`].
    pub fn kind(&self) -> &'static str {
        match self {
            UpstreamError::Status { .. } => "upstream_status",
            UpstreamError::Timeout { .. } => "timeout",
            UpstreamError::Connect { .. } => "connect",
            UpstreamError::Transport { .. } => "transport",
            UpstreamError::NotJson { .. } => "not_json",
            UpstreamError::TooLarge { .. } => "too_large",
            UpstreamError::UnexpectedReply { .. } => "unexpected_reply",
            UpstreamError::InvalidInput { .. } => "invalid_input",
        }
    }

    /// The error as a tool's structured content:
    /// `{"error": {"kind", "status"?, "message", "ratelimit-limit"?, "ratelimit-remaining"?,
    /// "ratelimit-reset"?}}`. For a status error `message` is the upstream's own message; for
    /// the others it is this error's text.
    pub fn to_json(&self) -> Value {
        let mut error = Map::new();
        error.insert("kind".to_owned(), Value::from(self.kind()));
        match self {
            UpstreamError::Status {
                status,
                message,
                rate_limit,
            } => {
                error.insert("status".to_owned(), Value::from(*status));
                error.insert("message".to_owned(), Value::from(message.as_str()));
                rate_limit.write_to(&mut error);
            }
            UpstreamError::NotJson { status, .. } => {
                error.insert("status".to_owned(), Value::from(*status));
                error.insert("message".to_owned(), Value::from(self.to_string()));
            }
            _ => {
                error.insert("message".to_owned(), Value::from(self.to_string()));
            }
        }
        let mut root = Map::with_capacity(1);
        root.insert("error".to_owned(), Value::Object(error));
        Value::Object(root)
    }

    /// Applies `f` to every free-text field, so the client can scrub secrets in one place.
    pub(crate) fn map_text(self, f: impl Fn(String) -> String) -> Self {
        match self {
            UpstreamError::Status {
                status,
                message,
                rate_limit,
            } => UpstreamError::Status {
                status,
                message: f(message),
                rate_limit,
            },
            UpstreamError::Connect { message } => UpstreamError::Connect {
                message: f(message),
            },
            UpstreamError::Transport { message } => UpstreamError::Transport {
                message: f(message),
            },
            UpstreamError::NotJson {
                status,
                detail,
                snippet,
            } => UpstreamError::NotJson {
                status,
                detail: f(detail),
                snippet: f(snippet),
            },
            UpstreamError::UnexpectedReply { path, message } => UpstreamError::UnexpectedReply {
                path: f(path),
                message: f(message),
            },
            UpstreamError::InvalidInput { message } => UpstreamError::InvalidInput {
                message: f(message),
            },
            other @ (UpstreamError::Timeout { .. } | UpstreamError::TooLarge { .. }) => other,
        }
    }
}

/// What a tool handler returns when it cannot produce output. The server turns
/// `InvalidArguments` into a JSON-RPC `-32602` error and `Upstream` into a tool result with
/// `isError: true` (text: the Display, structured content: [`UpstreamError::to_json`]).
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The arguments do not fit the tool's input; the message names the field.
    #[error("invalid arguments: {0}")]
    InvalidArguments(String),
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

fn status_text(status: u16, message: &str, rate_limit: &RateLimit) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .unwrap_or("");
    let mut text = format!("the upstream returned HTTP {status}");
    if !reason.is_empty() {
        text.push(' ');
        text.push_str(reason);
    }
    if !message.is_empty() && message != reason {
        text.push_str(": ");
        text.push_str(message);
    }
    if !rate_limit.is_empty() {
        text.push_str(&format!(" ({rate_limit})"));
    }
    text
}

fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{millis} ms")
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn quoted<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .map(|name| format!("`{}`", name.as_ref()))
        .collect();
    quoted.join(", ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn status_json_carries_only_known_rate_limit_keys() {
        let error = UpstreamError::Status {
            status: 429,
            message: "slow down".into(),
            rate_limit: RateLimit {
                limit: None,
                remaining: Some(0),
                reset: Some(30),
            },
        };
        assert_eq!(
            error.to_json(),
            serde_json::json!({"error": {"kind": "upstream_status", "status": 429, "message": "slow down",
                "ratelimit-remaining": 0, "ratelimit-reset": 30}})
        );
        assert_eq!(
            error.to_string(),
            "the upstream returned HTTP 429 Too Many Requests: slow down (ratelimit-remaining: 0, ratelimit-reset: 30)"
        );
    }

    #[test]
    fn status_text_does_not_repeat_the_reason_phrase() {
        let error = UpstreamError::Status {
            status: 404,
            message: "Not Found".into(),
            rate_limit: RateLimit::default(),
        };
        assert_eq!(
            error.to_string(),
            "the upstream returned HTTP 404 Not Found"
        );
    }

    #[test]
    fn missing_credentials_name_the_environment_variables() {
        let error = ConfigError::MissingCredentials {
            integration: "chronosphere",
            names: vec!["tenant", "api_token"],
            env_vars: vec![
                "CHRONOSPHERE_TENANT".into(),
                "CHRONOSPHERE_API_TOKEN".into(),
            ],
        };
        assert_eq!(
            error.to_string(),
            "missing credentials for chronosphere: `tenant`, `api_token`; set CHRONOSPHERE_TENANT, \
             CHRONOSPHERE_API_TOKEN or pass them explicitly"
        );
    }
}
