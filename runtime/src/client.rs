//! [`UpstreamClient`]: one account of one integration, ready to call. Everything that depends
//! only on the account (base URL, auth header, secrets to scrub) is resolved once here, so a
//! call does no template work.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::redirect;
use url::Url;

use crate::auth::Auth;
pub use crate::credentials::Credentials;
use crate::credentials::{Secrets, env_var};
use crate::cursor::{CursorKey, LinkCursors};
use crate::endpoint::BaseUrl;
use crate::error::{ConfigError, UpstreamError};
use crate::registry::{Integration, RequestPlan};

/// How to reach the upstream, beyond what the integration says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamConfig {
    /// Replaces the integration's base URL template (self-hosted tenants, fakes in tests). It may
    /// use the same `{credential}` placeholders.
    pub base_url: Option<String>,
    /// For the whole exchange, connecting to reading the last byte. Default 30 s.
    pub timeout: Duration,
    /// Largest reply body accepted. Default 10 MiB.
    pub max_body_bytes: usize,
    /// Seals `Link`-header cursors (see [`CursorKey`]). Default: the process's own random key,
    /// so a cursor is valid for the life of the process that issued it.
    pub cursor_key: Option<CursorKey>,
}

impl Default for UpstreamConfig {
    fn default() -> Self {
        Self {
            base_url: None,
            timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            cursor_key: None,
        }
    }
}

/// A client for one account of one integration. Cloning is cheap (an `Arc`), and many clients
/// can share one connection pool through [`UpstreamClient::with_http`].
#[derive(Clone)]
pub struct UpstreamClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) integration: &'static Integration,
    pub(crate) http: reqwest::Client,
    pub(crate) base: BaseUrl,
    pub(crate) auth: Auth,
    pub(crate) secrets: Secrets,
    pub(crate) timeout: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) cursor_key: CursorKey,
}

impl UpstreamClient {
    /// A client with its own connection pool (see [`UpstreamClient::http_client`]).
    pub fn new(
        integration: &'static Integration,
        credentials: Credentials,
        config: UpstreamConfig,
    ) -> Result<Self, ConfigError> {
        Self::with_http(Self::http_client()?, integration, credentials, config)
    }

    /// A client that sends through `http`, so accounts can share connections. Build `http` with
    /// [`UpstreamClient::http_client`] or give it an equally strict redirect policy: a client
    /// that follows redirects to other hosts would send them the auth header.
    pub fn with_http(
        http: reqwest::Client,
        integration: &'static Integration,
        credentials: Credentials,
        config: UpstreamConfig,
    ) -> Result<Self, ConfigError> {
        check_credentials(integration, &credentials)?;
        let template = config.base_url.as_deref().unwrap_or(integration.base_url);
        let base = BaseUrl::resolve(template, &credentials)?;
        let auth = Auth::resolve(integration, &credentials)?;
        let secrets = Secrets::new(integration, &credentials);
        let inner = Inner {
            integration,
            http,
            base,
            auth,
            secrets,
            timeout: config.timeout,
            max_body_bytes: config.max_body_bytes,
            cursor_key: config.cursor_key.unwrap_or_else(CursorKey::per_process),
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The HTTP client the runtime recommends: pooled, `TCP_NODELAY`, and following redirects
    /// only within the same origin (at most 5), so credentials never leave the upstream host.
    pub fn http_client() -> Result<reqwest::Client, ConfigError> {
        let policy = redirect::Policy::custom(|attempt| {
            let same_origin = attempt
                .previous()
                .last()
                .is_some_and(|last| last.origin() == attempt.url().origin());
            if attempt.previous().len() > 5 {
                attempt.error("too many redirects")
            } else if same_origin {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        reqwest::Client::builder()
            .redirect(policy)
            .user_agent(concat!("mcpgen-runtime/", env!("CARGO_PKG_VERSION")))
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(90))
            .build()
            .map_err(|error| ConfigError::HttpClient(error.to_string()))
    }

    pub fn integration(&self) -> &'static Integration {
        self.inner.integration
    }

    /// The resolved base URL requests are made against.
    pub fn base_url(&self) -> &Url {
        self.inner.base.url()
    }

    /// The sealer of `plan`'s `Link` cursors.
    pub(crate) fn link_cursors<'a>(&'a self, plan: &'a RequestPlan) -> LinkCursors<'a> {
        LinkCursors {
            key: &self.inner.cursor_key,
            integration: self.inner.integration.name,
            plan,
        }
    }

    /// Removes the account's secret values from an upstream error's text.
    pub(crate) fn scrub(&self, error: UpstreamError) -> UpstreamError {
        error.map_text(|text| self.inner.secrets.scrub(text))
    }
}

impl fmt::Debug for UpstreamClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpstreamClient")
            .field("integration", &self.inner.integration.name)
            .field(
                "base_url",
                &self.inner.secrets.scrub(self.inner.base.url().to_string()),
            )
            .field("timeout", &self.inner.timeout)
            .field("max_body_bytes", &self.inner.max_body_bytes)
            .finish_non_exhaustive()
    }
}

fn check_credentials(
    integration: &'static Integration,
    credentials: &Credentials,
) -> Result<(), ConfigError> {
    if let Some(unknown) = credentials.names().find(|name| {
        !integration
            .credentials
            .iter()
            .any(|spec| spec.name == *name)
    }) {
        return Err(ConfigError::UnknownCredential {
            integration: integration.name,
            name: unknown.to_owned(),
            expected: integration
                .credentials
                .iter()
                .map(|spec| spec.name)
                .collect(),
        });
    }
    let missing: Vec<&'static str> = integration
        .credentials
        .iter()
        .filter(|spec| credentials.get(spec.name).is_none_or(str::is_empty))
        .map(|spec| spec.name)
        .collect();
    if !missing.is_empty() {
        return Err(ConfigError::MissingCredentials {
            integration: integration.name,
            env_vars: missing
                .iter()
                .map(|name| env_var(integration.name, name))
                .collect(),
            names: missing,
        });
    }
    Ok(())
}
