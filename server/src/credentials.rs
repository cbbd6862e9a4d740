//! Where a served account's credentials come from: `--credential key=value` flags first, then
//! the `<INTEGRATION>_<CREDENTIAL>` environment variables (`CHRONOSPHERE_API_TOKEN`).
//!
//! Resolution takes the environment as a function so it can be tested without touching the
//! process environment. Errors name credentials and variables, never values.

use mcpgen_runtime::{Credentials, Integration, env_var};

/// Resolves every credential `integration` declares. `flags` are `--credential` pairs; `env`
/// looks up an environment variable. Empty values count as missing.
pub fn resolve(
    integration: &Integration,
    flags: &[(String, String)],
    env: impl Fn(&str) -> Option<String>,
) -> Result<Credentials, CredentialsError> {
    let known: Vec<&'static str> = integration
        .credentials
        .iter()
        .map(|spec| spec.name)
        .collect();
    if let Some((name, _)) = flags
        .iter()
        .find(|(name, _)| !known.contains(&name.as_str()))
    {
        return Err(CredentialsError::Unknown {
            integration: integration.name,
            name: name.clone(),
            known: known.join(", "),
        });
    }
    let mut credentials = Credentials::new();
    let mut missing = Vec::new();
    for spec in integration.credentials {
        let from_flag = flags
            .iter()
            .rev()
            .find(|(name, _)| name == spec.name)
            .map(|(_, value)| value.clone());
        let variable = env_var(integration.name, spec.name);
        match from_flag
            .or_else(|| env(&variable))
            .filter(|value| !value.is_empty())
        {
            Some(value) => {
                credentials.insert(spec.name, value);
            }
            None => missing.push((spec.name, variable)),
        }
    }
    if !missing.is_empty() {
        return Err(CredentialsError::Missing {
            integration: integration.name,
            variables: missing
                .iter()
                .map(|(_, variable)| variable.clone())
                .collect(),
            flags: missing
                .iter()
                .map(|(name, _)| format!("--credential {name}=..."))
                .collect(),
        });
    }
    Ok(credentials)
}

/// Parses one `--credential` value, `key=value` (the value may contain `=`).
pub fn parse_flag(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err("expected KEY=VALUE, e.g. --credential api_token=...".to_owned()),
    }
}

/// Why [`resolve`] found no usable set of credentials. Names credentials and variables, never
/// values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// Credentials neither a flag nor the environment supplies (or only as empty values).
    #[error(
        "missing {integration} credentials: set {} in the environment, or pass {}",
        variables.join(" and "),
        flags.join(" ")
    )]
    Missing {
        /// The integration's name (`chronosphere`).
        integration: &'static str,
        /// The environment variable of each missing credential, in declaration order.
        variables: Vec<String>,
        /// The same credentials as flags (`--credential api_token=...`), in the same order.
        flags: Vec<String>,
    },
    /// A `--credential` flag names a credential the integration does not declare.
    #[error("unknown credential `{name}` for {integration}; it takes: {known}")]
    Unknown {
        /// The integration's name.
        integration: &'static str,
        /// The name as given in the flag.
        name: String,
        /// The credentials the integration declares, comma-separated.
        known: String,
    },
}
