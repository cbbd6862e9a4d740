//! [`HostedError`]: why a hosted-mode operation failed, shared by the admin API and the CLI.
//!
//! Each kind carries a stable machine code (`unknown_integration`, `no_matching_tools`, ...)
//! and a message written for whoever has to fix the request. Internal failures keep their
//! details for the log; clients get a generic message.

use crate::store::StoreError;

/// Why a hosted-mode operation failed; the admin API maps each kind to its HTTP status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HostedError {
    /// The request is well-formed but its values are not acceptable (HTTP 400).
    #[error("{message}")]
    Invalid {
        /// Stable machine code, sent as `error` (`unknown_integration`, `invalid_cursor`).
        code: &'static str,
        /// What to change, naming the field at fault.
        message: String,
    },
    /// No such live record (HTTP 404). `what` names the kind: `integrated account`, ...
    #[error("{what} {id} not found")]
    NotFound {
        /// The kind of record (`integrated account`, `MCP server`, `API token`).
        what: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The request clashes with existing state (HTTP 409).
    #[error("{message}")]
    Conflict {
        /// Stable machine code, sent as `error` (`name_taken`).
        code: &'static str,
        /// What clashes and how to resolve it.
        message: String,
    },
    /// A stored account whose credentials cannot build an upstream client (HTTP 503); the
    /// message names the credential, never a value.
    #[error("{message}")]
    Unusable {
        /// Which integration the account cannot reach, and why.
        message: String,
    },
    /// This process cannot do it until it is restarted (HTTP 503): its `MCP_SECRET_KEY` was
    /// rotated away.
    #[error("{message}")]
    Restart {
        /// Stable machine code, sent as `error` (`key_rotated`).
        code: &'static str,
        /// What happened and what the operator has to do.
        message: String,
    },
    /// A failure of ours (HTTP 500); the details are logged, not sent.
    #[error("{0}")]
    Internal(String),
}

impl HostedError {
    pub(crate) fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        HostedError::Invalid {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        HostedError::NotFound {
            what,
            id: id.into(),
        }
    }
}

impl From<StoreError> for HostedError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NameTaken(name) => HostedError::Conflict {
                code: "name_taken",
                message: format!(
                    "an MCP server named {name:?} already exists for this integrated account; \
                     pick another name or delete that server"
                ),
            },
            StoreError::NoSuchAccount(id) => HostedError::not_found("integrated account", id),
            StoreError::KeyChanged => HostedError::Restart {
                code: "key_rotated",
                message: StoreError::KeyChanged.to_string(),
            },
            other => HostedError::Internal(other.to_string()),
        }
    }
}
