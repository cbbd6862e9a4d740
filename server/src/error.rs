//! The server's one error type: everything that stops it from starting or serving.
//!
//! Each message says what to change. [`Error::exit_code`] separates configuration mistakes
//! (exit 2, before anything is served) from failures while running (exit 1).

use std::net::SocketAddr;

use mcpgen_runtime::ConfigError;

use crate::catalog::CatalogError;
use crate::credentials::CredentialsError;
use crate::filter::FilterError;

/// Why a server did not start, or stopped serving.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `--integration` names no integration this binary holds.
    #[error("unknown integration `{name}`{hint}; this server provides: {known}")]
    UnknownIntegration {
        /// The name asked for.
        name: String,
        /// The integrations this binary holds, comma-separated (`none` when it holds none).
        known: String,
        /// A did-you-mean hint, space first, for a near miss; else empty.
        hint: String,
    },
    /// The binary holds several integrations and `--integration` was left out.
    #[error("this server provides several integrations ({known}); choose one with --integration")]
    IntegrationRequired {
        /// The integrations this binary holds, comma-separated.
        known: String,
    },
    /// The `--methods` / `--tags` filter does not fit the integration.
    #[error(transparent)]
    Filter(#[from] FilterError),
    /// A generated tool description cannot be served (a generator bug).
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Credentials are missing or unknown.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The upstream client cannot be built from the credentials and upstream settings.
    #[error("cannot configure the upstream client: {0}")]
    Upstream(#[from] ConfigError),
    /// The listen address is not loopback and non-loopback serving was not allowed.
    #[error(
        "refusing to listen on {addr}: it is not a loopback address, so other machines could call \
         the tools; pass --allow-non-loopback (and --allowed-host for the names clients use) to \
         serve it anyway"
    )]
    NonLoopbackListen {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// An extra allowed origin is not `scheme://host[:port|:*]` or `null`.
    #[error("invalid allowed origin `{origin}`: {reason}")]
    InvalidOrigin {
        /// The origin as given.
        origin: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The listen address could not be bound (in use, not local, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// An I/O error of the bound HTTP listener.
    #[error("the HTTP server failed: {0}")]
    Http(std::io::Error),
    /// The stdio session could not start or ended with an error; rmcp's error text.
    #[error("the stdio session failed: {0}")]
    Stdio(String),
    /// The tokio runtime the commands run on could not be built.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl Error {
    /// 2 for configuration mistakes found before serving, 1 for failures while serving.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::UnknownIntegration { .. }
            | Error::IntegrationRequired { .. }
            | Error::Filter(_)
            | Error::Catalog(_)
            | Error::Credentials(_)
            | Error::Upstream(_)
            | Error::NonLoopbackListen { .. }
            | Error::InvalidOrigin { .. } => 2,
            Error::Bind { .. } | Error::Http(_) | Error::Stdio(_) | Error::Runtime(_) => 1,
        }
    }
}
