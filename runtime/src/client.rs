//! [`UpstreamClient`]: one account of one integration, ready to call. Everything that depends
//! only on the account (base URL, auth header, secrets to scrub) is resolved once here, so a
//! call does no template work.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::auth::Auth;
pub use crate::credentials::Credentials;
use crate::credentials::env_var;
use crate::cursor::{CursorKey, LinkCursors};
use crate::endpoint::BaseUrl;
use crate::error::{ConfigError, UpstreamError};
use crate::registry::{Integration, RequestPlan};
use crate::secrets::Secrets;
use crate::transport::{CredentialHosts, Transport};

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
    /// Which hosts a credential may choose. Default: any.
    pub credential_hosts: CredentialHosts,
}

impl Default for UpstreamConfig {
    fn default() -> Self {
        Self {
            base_url: None,
            timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            cursor_key: None,
            credential_hosts: CredentialHosts::Any,
        }
    }
}

/// A client for one account of one integration. Cloning is cheap (an `Arc`), and many clients
/// can share one connection pool through [`UpstreamClient::with_transport`].
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
    /// A client with connection pools of its own (see [`Transport`]).
    pub fn new(
        integration: &'static Integration,
        credentials: Credentials,
        config: UpstreamConfig,
    ) -> Result<Self, ConfigError> {
        Self::with_transport(&Transport::new()?, integration, credentials, config)
    }

    /// A client that sends through `transport`, so accounts can share connections. Refuses a
    /// host a credential chose that `config.credential_hosts` does not allow.
    pub fn with_transport(
        transport: &Transport,
        integration: &'static Integration,
        credentials: Credentials,
        config: UpstreamConfig,
    ) -> Result<Self, ConfigError> {
        check_credentials(integration, &credentials)?;
        let template = config.base_url.as_deref().unwrap_or(integration.base_url);
        let base = BaseUrl::resolve(template, &credentials)?;
        let guarded =
            config.credential_hosts == CredentialHosts::PublicOnly && base.host_from_credential();
        if guarded {
            base.check_public_host(integration.name)?;
        }
        let auth = Auth::resolve(integration, &credentials)?;
        let secrets = Secrets::new(integration, &credentials);
        let inner = Inner {
            integration,
            http: transport.pool(guarded).clone(),
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

    /// The integration this client was built for.
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
    pub(crate) fn scrub_error(&self, error: UpstreamError) -> UpstreamError {
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
