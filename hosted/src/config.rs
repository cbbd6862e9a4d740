//! Start-up settings of the hosted mode read from the environment and flags: the admin token,
//! the credential key, the minimum expiry, `--base-url` overrides and the public URL.
//!
//! Secrets come only from the environment (a flag would show in `ps` and shell history).
//! Every failure here is a [`CommandError::Config`] that says what to set.

use chrono::TimeDelta;
use mcpgen_runtime::{CredentialHosts, Integration};
use std::collections::HashMap;

use crate::crypto::{self, SecretKey};
use crate::error::HostedError;
use crate::store::StoreError;
use crate::upstream::{UpstreamArgs, UpstreamSettings};

pub(crate) const ADMIN_TOKEN_VAR: &str = "MCP_ADMIN_TOKEN";
pub(crate) const SECRET_KEY_VAR: &str = "MCP_SECRET_KEY";
/// The key `keys rotate` re-seals under; environment only, like the current key.
pub(crate) const NEW_SECRET_KEY_VAR: &str = "MCP_NEW_SECRET_KEY";
/// Test-only: lowers the 60 s minimum distance of `expires_at` so expiry tests run fast.
pub(crate) const MIN_EXPIRY_VAR: &str = "MCP_MIN_EXPIRY_SECS";
const DEFAULT_MIN_EXPIRY_SECS: i64 = 60;
/// Admin tokens shorter than this are refused: the token guards every account.
const MIN_ADMIN_TOKEN_LEN: usize = 16;

/// Why a hosted-mode command (`serve`, `accounts`, `servers`) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum CommandError {
    /// A setting is missing or malformed; nothing was started.
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hosted(#[from] HostedError),
    #[error(transparent)]
    Server(#[from] mcpgen_server::error::Error),
}

impl CommandError {
    /// 2 for mistakes in what was asked (settings, input, unknown ids), 1 for failures.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CommandError::Config(_) => 2,
            CommandError::Hosted(HostedError::Internal(_) | HostedError::Restart { .. }) => 1,
            CommandError::Hosted(_) => 2,
            CommandError::Store(StoreError::Unsupported(..)) => 2,
            CommandError::Store(_) => 1,
            CommandError::Server(error) => error.exit_code(),
        }
    }
}

/// A variable's value; unset and empty are the same.
fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// The admin token and credential key, generated under `--dev` when unset.
#[derive(Debug)]
pub(crate) struct Secrets {
    pub admin_token: String,
    pub key: SecretKey,
    /// Which of the two were generated (to print once).
    pub generated_admin_token: bool,
    pub generated_key: bool,
}

impl Secrets {
    pub(crate) fn from_env(dev: bool) -> Result<Self, CommandError> {
        let (admin_token, generated_admin_token) = match env(ADMIN_TOKEN_VAR) {
            Some(token) if token.trim().len() < MIN_ADMIN_TOKEN_LEN => {
                return Err(CommandError::Config(format!(
                    "{ADMIN_TOKEN_VAR} is too short: use at least {MIN_ADMIN_TOKEN_LEN} characters \
                     (e.g. `openssl rand -hex 32`)"
                )));
            }
            Some(token) => (token.trim().to_owned(), false),
            None if dev => (crypto::new_token(), true),
            None => {
                return Err(CommandError::Config(format!(
                    "{ADMIN_TOKEN_VAR} is not set: it is the bearer token of the admin API. Set it \
                     (e.g. `export {ADMIN_TOKEN_VAR}=$(openssl rand -hex 32)`), or pass --dev to \
                     generate one for this run"
                )));
            }
        };
        let (key, generated_key) = match env(SECRET_KEY_VAR) {
            Some(_) => (secret_key()?, false),
            None if dev => (SecretKey::generate(), true),
            None => {
                return Err(CommandError::Config(format!(
                    "{SECRET_KEY_VAR} is not set: it encrypts integrated-account credentials. Set it \
                     to 64 hex characters (e.g. `export {SECRET_KEY_VAR}=$(openssl rand -hex 32)`), \
                     or pass --dev to generate one for this run"
                )));
            }
        };
        Ok(Self {
            admin_token,
            key,
            generated_admin_token,
            generated_key,
        })
    }
}

/// `MCP_SECRET_KEY`, required.
pub(crate) fn secret_key() -> Result<SecretKey, CommandError> {
    let text = env(SECRET_KEY_VAR).ok_or_else(|| {
        CommandError::Config(format!(
            "{SECRET_KEY_VAR} is not set: this command encrypts or decrypts credentials and needs \
             the key the server uses (64 hex characters)"
        ))
    })?;
    SecretKey::from_hex(&text)
        .map_err(|error| CommandError::Config(format!("{SECRET_KEY_VAR} {error}")))
}

/// `MCP_NEW_SECRET_KEY`, required by `keys rotate`.
pub(crate) fn new_secret_key() -> Result<SecretKey, CommandError> {
    let text = env(NEW_SECRET_KEY_VAR).ok_or_else(|| {
        CommandError::Config(format!(
            "{NEW_SECRET_KEY_VAR} is not set: it is the key to re-seal credentials under, 64 hex \
             characters (e.g. `export {NEW_SECRET_KEY_VAR}=$(openssl rand -hex 32)`); \
             {SECRET_KEY_VAR} must be the current key"
        ))
    })?;
    SecretKey::from_hex(&text)
        .map_err(|error| CommandError::Config(format!("{NEW_SECRET_KEY_VAR} {error}")))
}

/// How far ahead `expires_at` must be: 60 s, or `MCP_MIN_EXPIRY_SECS` (tests).
pub(crate) fn min_expiry() -> Result<TimeDelta, CommandError> {
    let seconds = match env(MIN_EXPIRY_VAR) {
        None => DEFAULT_MIN_EXPIRY_SECS,
        Some(text) => text.trim().parse::<u32>().map(i64::from).map_err(|_| {
            CommandError::Config(format!(
                "{MIN_EXPIRY_VAR} must be a whole number of seconds, got {text:?}"
            ))
        })?,
    };
    Ok(TimeDelta::seconds(seconds))
}

/// Parses `--base-url INTEGRATION=URL` values against the integrations served.
pub(crate) fn base_urls(
    values: &[String],
    integrations: &[&'static Integration],
) -> Result<HashMap<String, String>, CommandError> {
    let mut urls = HashMap::new();
    for value in values {
        let (name, url) = value.split_once('=').ok_or_else(|| {
            CommandError::Config(format!("--base-url {value:?}: expected INTEGRATION=URL, e.g. chronosphere=http://127.0.0.1:9000"))
        })?;
        let (name, url) = (name.trim(), url.trim());
        if !integrations
            .iter()
            .any(|integration| integration.name == name)
        {
            let known: Vec<&str> = integrations
                .iter()
                .map(|integration| integration.name)
                .collect();
            return Err(CommandError::Config(format!(
                "--base-url names unknown integration {name:?}; known integrations: {}",
                known.join(", ")
            )));
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(CommandError::Config(format!(
                "--base-url {name}: {url:?} must start with http:// or https://"
            )));
        }
        urls.insert(name.to_owned(), url.to_owned());
    }
    Ok(urls)
}

/// The upstream settings of `serve` and `accounts add`: `--base-url` overrides (already
/// checked), whether credentials may choose private hosts, and the cursor key derived from
/// `key` (when the command has one).
pub(crate) fn upstream_settings(
    args: &UpstreamArgs,
    base_urls: HashMap<String, String>,
    key: Option<&SecretKey>,
) -> UpstreamSettings {
    let mut settings = UpstreamSettings {
        base_urls,
        ..UpstreamSettings::default()
    };
    if args.allow_private_upstreams {
        settings.config.credential_hosts = CredentialHosts::Any;
    }
    settings.config.cursor_key = key.map(SecretKey::cursor_key);
    settings
}

/// Checks a `--public-url` (scheme, no query or fragment) and drops a trailing slash.
pub(crate) fn public_url(url: &str) -> Result<String, CommandError> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.contains(['?', '#', ' ']) => Ok(url.to_owned()),
        _ => Err(CommandError::Config(format!(
            "--public-url {url:?} must be an http:// or https:// URL without query or fragment, \
             e.g. https://mcp.example.com"
        ))),
    }
}

/// The `host` and `host:port` a public URL's clients send in `Host`.
pub(crate) fn public_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    (!authority.is_empty()).then(|| authority.to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_checked() {
        assert_eq!(
            public_url("https://mcp.example.com/").unwrap(),
            "https://mcp.example.com"
        );
        assert!(public_url("mcp.example.com").is_err());
        assert!(public_url("https://x/?a=b").is_err());
        assert_eq!(
            public_host("https://mcp.example.com:8443/base").as_deref(),
            Some("mcp.example.com:8443")
        );
    }
}
