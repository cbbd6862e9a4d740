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
    /// Credentials the integration declares are unset or empty.
    #[error(
        "missing credential{} for {integration}: {}; set {} or pass them explicitly",
        plural(names.len()),
        quoted(names),
        env_vars.join(", ")
    )]
    MissingCredentials {
        /// The integration's name (`chronosphere`).
        integration: &'static str,
        /// The missing credentials, in declaration order.
        names: Vec<&'static str>,
        /// The environment variable of each, in the same order (`CHRONOSPHERE_API_TOKEN`).
        env_vars: Vec<String>,
    },
    /// A credential was supplied that the integration does not declare (a typo, usually).
    #[error(
        "unknown credential `{name}` for {integration}; expected one of {}",
        quoted(expected)
    )]
    UnknownCredential {
        /// The integration's name.
        integration: &'static str,
        /// The credential name as supplied.
        name: String,
        /// Every credential the integration declares.
        expected: Vec<&'static str>,
    },
    /// A credential value that cannot be used. Nothing in this crate raises it at present: a
    /// value that breaks the base URL is [`ConfigError::InvalidBaseUrl`].
    #[error("credential `{name}` of {integration} {reason}")]
    InvalidCredential {
        /// The integration's name.
        integration: &'static str,
        /// The credential's name.
        name: &'static str,
        /// Completes "credential `name` of `integration` ...".
        reason: String,
    },
    /// The base URL template, or the URL once credentials fill it, is not an absolute http(s)
    /// URL without query, fragment or user info; or a credential value breaks the host or path.
    #[error("invalid base URL `{template}`: {reason}")]
    InvalidBaseUrl {
        /// The template as configured, placeholders unfilled, so no credential value shows.
        template: String,
        /// What is wrong, naming the credential at fault if one is.
        reason: String,
    },
    /// Under [`crate::CredentialHosts::PublicOnly`], a credential made the host an IP address
    /// or a loopback name.
    #[error(
        "credential `{credential}` makes the upstream host of {integration} {reason}; a host \
         chosen by a credential must be a public DNS name here"
    )]
    PrivateHost {
        /// The integration's name.
        integration: &'static str,
        /// The credential that forms the host (`tenant`).
        credential: String,
        /// What the host turned out to be (`an IP address`, `a loopback name`).
        reason: String,
    },
    /// The auth templates cannot be filled, or do not give a valid header name or value.
    #[error("invalid auth settings for {integration}: {reason}")]
    InvalidAuth {
        /// The integration's name.
        integration: &'static str,
        /// What is wrong; names placeholders and headers, never values.
        reason: String,
    },
    /// The base URL is `https`, but neither TLS feature was enabled at build time.
    #[error(
        "base URL `{template}` uses HTTPS, but this binary was built without TLS: enable the \
         `rustls` feature of `mcpgen-server` (or `rustls` / `native-tls` of `mcpgen-runtime`)"
    )]
    TlsUnavailable {
        /// The base URL template, placeholders unfilled.
        template: String,
    },
    /// reqwest could not build a client (a broken TLS setup); its error text.
    #[error("could not build the HTTP client: {0}")]
    HttpClient(String),
}

/// Rate-limit state reported by the upstream, normalised to the IETF `ratelimit-*` meanings:
/// `reset` is always seconds from now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in the current window; `None` when the upstream did not say.
    pub limit: Option<u64>,
    /// Requests left in the current window; `None` when the upstream did not say.
    pub remaining: Option<u64>,
    /// Seconds until the window resets (0 once past); `None` when the upstream did not say.
    pub reset: Option<u64>,
}

impl RateLimit {
    /// The upstream reported nothing.
    pub(crate) fn is_empty(&self) -> bool {
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
        /// The HTTP status code.
        status: u16,
        /// The upstream's message: from `error_message_path` in a JSON body, else a snippet
        /// of the body, else the reason phrase. Scrubbed of secrets.
        message: String,
        /// The reply's rate-limit headers, normalised; empty when it sent none.
        rate_limit: RateLimit,
    },
    /// No complete reply within the configured timeout ([`crate::UpstreamConfig::timeout`]),
    /// which covers the whole exchange: a reply whose body trickles in is cut off too.
    #[error("{}", timeout_text(*after, *reply_started))]
    Timeout {
        /// The timeout that ran out.
        after: Duration,
        /// The status and headers had arrived and the body had not finished: the upstream is
        /// alive but slow or stalled, rather than silent.
        reply_started: bool,
    },
    /// `message` starts with the upstream origin.
    #[error("could not connect to the upstream at {message}")]
    Connect {
        /// The upstream origin, then the HTTP client's error and its causes (no path or query).
        message: String,
    },
    /// Sending or reading failed other than by connecting or timing out (a dropped
    /// connection, too many redirects).
    #[error("the upstream request failed: {message}")]
    Transport {
        /// The HTTP client's error and its causes, without the URL (it may carry query auth).
        message: String,
    },
    /// A 2xx reply whose body is not JSON.
    #[error(
        "the upstream replied with HTTP {status} and a body that is not JSON ({detail}): {snippet}"
    )]
    NotJson {
        /// The HTTP status code (2xx).
        status: u16,
        /// The content type and the JSON parser's error.
        detail: String,
        /// The start of the body (200 characters), scrubbed of secrets.
        snippet: String,
    },
    /// The reply body is larger than [`crate::UpstreamConfig::max_body_bytes`].
    #[error(
        "the upstream reply is larger than {limit} bytes, the configured limit; narrow the request \
         (a smaller `limit`, more filters) or raise the limit"
    )]
    TooLarge {
        /// The configured limit, in bytes.
        limit: usize,
    },
    /// The reply is JSON but does not decode as the documented output type.
    #[error("the upstream reply does not match the documented shape at `{path}`: {message}")]
    UnexpectedReply {
        /// Where in the upstream JSON the misfit is (`teams[1].user_emails`; `.` for the root).
        path: String,
        /// What the decoder expected and found.
        message: String,
    },
    /// The input cannot be turned into a request (an empty path argument, a foreign cursor).
    #[error("{message}")]
    InvalidInput {
        /// What is wrong with the input, for the caller to fix.
        message: String,
    },
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
    /// The upstream call failed; the caller decides whether to retry.
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
    // An agent told only "429" retries at once or gives up; say when a retry may work.
    if status == 429 || status == 503 {
        match rate_limit.reset {
            Some(reset) => text.push_str(&format!("; retry in {reset} s")),
            None if status == 429 => {
                text.push_str("; the upstream gave no retry time, so wait before retrying");
            }
            None => {}
        }
    }
    text
}

fn timeout_text(after: Duration, reply_started: bool) -> String {
    let what = if reply_started {
        "its reply did not finish"
    } else {
        "no reply"
    };
    format!(
        "the upstream timed out: {what} within {} (the upstream timeout is configurable)",
        seconds(after)
    )
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
            "the upstream returned HTTP 429 Too Many Requests: slow down (ratelimit-remaining: 0, ratelimit-reset: 30); retry in 30 s"
        );
        let bare = UpstreamError::Status {
            status: 429,
            message: String::new(),
            rate_limit: RateLimit::default(),
        };
        assert_eq!(
            bare.to_string(),
            "the upstream returned HTTP 429 Too Many Requests; the upstream gave no retry time, so \
             wait before retrying"
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
