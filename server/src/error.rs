//! The server's one error type: everything that stops it from starting or serving.
//!
//! Each message says what to change. [`Error::exit_code`] separates configuration mistakes
//! (exit 2, before anything is served) from failures while running (exit 1).

use std::net::SocketAddr;

use mcpgen_runtime::ConfigError;

use crate::catalog::CatalogError;
use crate::credentials::CredentialsError;
use crate::filter::FilterError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("unknown integration `{name}`{hint}; this server provides: {known}")]
    UnknownIntegration {
        name: String,
        known: String,
        hint: String,
    },
    #[error("this server provides several integrations ({known}); choose one with --integration")]
    IntegrationRequired { known: String },
    #[error(transparent)]
    Filter(#[from] FilterError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    #[error("cannot configure the upstream client: {0}")]
    Upstream(#[from] ConfigError),
    #[error(
        "refusing to listen on {addr}: it is not a loopback address, so other machines could call \
         the tools; pass --allow-non-loopback (and --allowed-host for the names clients use) to \
         serve it anyway"
    )]
    NonLoopbackListen { addr: SocketAddr },
    #[error("invalid allowed origin `{origin}`: {reason}")]
    InvalidOrigin { origin: String, reason: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the HTTP server failed: {0}")]
    Http(std::io::Error),
    #[error("the stdio session failed: {0}")]
    Stdio(String),
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
