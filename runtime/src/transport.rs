//! [`Transport`]: the HTTP clients upstream calls go through, shared by every account that uses
//! them, and the resolver that keeps a host chosen by a tenant off the operator's network.
//!
//! Two pools: one for hosts the operator chose (an integration's base URL, a `--base-url`
//! override), and one for hosts a credential chose under [`CredentialHosts::PublicOnly`]. The
//! second resolves names itself and connects only to public addresses (see
//! `crate::public_ip`); reqwest connects to exactly the addresses the resolver returns, so a
//! name that resolves to loopback, or is re-pointed there between two lookups, never reaches a
//! socket. It uses no proxy, so no proxy can resolve the name instead.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect;

use crate::error::ConfigError;
use crate::public_ip::is_public;

/// Which upstream hosts a credential may choose, when the base URL template puts a credential
/// in the host (`https://{tenant}.example.com`, or a whole-host `http://{host}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CredentialHosts {
    /// Any host: the operator supplies the credentials (stdio and `http` modes). The default.
    #[default]
    Any,
    /// Public hosts only (hosted mode, where a tenant supplies them): IP literals in any
    /// notation and `localhost` are refused when the client is built, and a name is connected
    /// to only at the public addresses it resolves to.
    PublicOnly,
}

/// The connection pools of upstream calls. Cloning is cheap; clients built from one transport
/// share its connections.
#[derive(Debug, Clone)]
pub struct Transport {
    operator_hosts: reqwest::Client,
    public_only: reqwest::Client,
}

impl Transport {
    /// Both pools, empty. Fails only when reqwest cannot build a client (a broken TLS setup).
    pub fn new() -> Result<Self, ConfigError> {
        Ok(Self {
            operator_hosts: builder().build().map_err(http_client_error)?,
            public_only: builder()
                .no_proxy()
                .dns_resolver(Arc::new(PublicOnly))
                .build()
                .map_err(http_client_error)?,
        })
    }

    /// The pool for a base URL; `guarded` when a credential chose its host and only public
    /// addresses may be reached.
    pub(crate) fn pool(&self, guarded: bool) -> &reqwest::Client {
        if guarded {
            &self.public_only
        } else {
            &self.operator_hosts
        }
    }
}

/// Pooled, `TCP_NODELAY`, and following redirects only within the same origin (at most 5), so
/// credentials never leave the upstream host.
fn builder() -> reqwest::ClientBuilder {
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
}

fn http_client_error(error: reqwest::Error) -> ConfigError {
    ConfigError::HttpClient(error.to_string())
}

/// Resolves with the system resolver and keeps only public addresses.
#[derive(Debug)]
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public = public_addresses(&host, found)?;
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The public addresses among `found`, or an error saying why none is left.
fn public_addresses(
    host: &str,
    found: Vec<SocketAddr>,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    let public: Vec<SocketAddr> = found
        .iter()
        .copied()
        .filter(|addr| is_public(addr.ip()))
        .collect();
    if public.is_empty() {
        return Err(format!(
            "`{host}` resolves only to non-public addresses (loopback, private, link-local or \
             metadata), which a host chosen by a credential may not reach"
        )
        .into());
    }
    Ok(public)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn addrs(ips: &[&str]) -> Vec<SocketAddr> {
        ips.iter()
            .map(|ip| SocketAddr::new(ip.parse().unwrap(), 0))
            .collect()
    }

    #[test]
    fn only_public_addresses_are_kept() {
        let kept = public_addresses("mixed.test", addrs(&["127.0.0.1", "93.184.216.34", "::1"]));
        assert_eq!(kept.unwrap(), addrs(&["93.184.216.34"]));
        let error = public_addresses("inside.test", addrs(&["10.0.0.1", "169.254.169.254"]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`inside.test` resolves only to non-public"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn the_guarded_pool_refuses_a_name_that_resolves_to_loopback() {
        // A real listener on loopback, reached through a name (not an IP literal).
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let transport = Transport::new().unwrap();
        let url = format!("http://localhost:{port}/");
        let error = transport.pool(true).get(&url).send().await.unwrap_err();
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        assert!(text.contains("resolves only to non-public"), "{text}");
        // The operator's pool reaches it (nothing answers HTTP, but the connection is made).
        tokio::spawn(async move {
            let _accepted = listener.accept().await;
        });
        let reached = transport.pool(false).get(&url).send().await;
        let error = reached.unwrap_err();
        assert!(!error.is_connect(), "{error}");
    }
}
