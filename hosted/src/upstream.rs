//! How hosted mode reaches upstreams: one [`Transport`] for every account, `--base-url`
//! overrides, timeouts and caps, the cursor key, and the rule that a host chosen by a tenant's
//! credential must be public unless the operator says otherwise.
//!
//! The same `Upstreams::client` checks an account when it is created (a tenant of
//! `evil.com/x#` or `127.0.0.1` is a 400 naming the credential, not an account whose every
//! request fails later) and builds the client the gateway serves it with.

use std::collections::HashMap;

use mcpgen_runtime::{
    ConfigError, CredentialHosts, Credentials, Integration, Transport, UpstreamClient,
    UpstreamConfig,
};

/// Flags shared by `serve` and `accounts add`, so both judge an account the same way.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct UpstreamArgs {
    /// Replace an integration's upstream base URL (repeatable).
    #[arg(long = "base-url", value_name = "INTEGRATION=URL")]
    pub base_urls: Vec<String>,
    /// Let a credential that forms the upstream host (`http://{host}`) name loopback, private,
    /// link-local or metadata addresses, IP literals and `localhost`. Off by default: a tenant
    /// could otherwise point its account at the operator's own network.
    #[arg(long)]
    pub allow_private_upstreams: bool,
}

/// What hosted mode's upstream clients are built from.
#[derive(Debug, Clone)]
pub struct UpstreamSettings {
    /// Base URL overrides by integration name.
    pub base_urls: HashMap<String, String>,
    /// Timeouts, caps, the cursor key and which hosts a credential may choose; `base_url` is
    /// taken from `base_urls`.
    pub config: UpstreamConfig,
}

impl Default for UpstreamSettings {
    /// No overrides, and credentials may only choose public hosts.
    fn default() -> Self {
        Self {
            base_urls: HashMap::new(),
            config: UpstreamConfig {
                credential_hosts: CredentialHosts::PublicOnly,
                ..UpstreamConfig::default()
            },
        }
    }
}

/// The settings and the connection pools they are served with.
#[derive(Debug)]
pub(crate) struct Upstreams {
    settings: UpstreamSettings,
    transport: Transport,
}

impl Upstreams {
    pub(crate) fn new(settings: UpstreamSettings) -> Result<Self, ConfigError> {
        Ok(Self {
            settings,
            transport: Transport::new()?,
        })
    }

    /// A client for one account of `integration`, or why its credentials cannot work.
    pub(crate) fn client(
        &self,
        integration: &'static Integration,
        credentials: Credentials,
    ) -> Result<UpstreamClient, ConfigError> {
        let config = UpstreamConfig {
            base_url: self.settings.base_urls.get(integration.name).cloned(),
            ..self.settings.config.clone()
        };
        UpstreamClient::with_transport(&self.transport, integration, credentials, config)
    }
}
