//! Checks that turn admin-API and CLI input into values fit to store, with messages that name
//! the offending field and what would be accepted.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use mcpgen_runtime::{Credentials, Integration};

use crate::error::HostedError;
use crate::input::ConfigInput;
use crate::model::ServerConfig;
use crate::views::timestamp;
use mcpgen_server::filter::{FilterError, ToolFilter};

/// Longest accepted credential value; real tokens are far shorter, and the cap keeps sealed
/// rows small.
const MAX_CREDENTIAL_LEN: usize = 8 * 1024;
const MAX_NAME_CHARS: usize = 200;

/// `integration` by name, or a 400 listing the known ones.
pub fn integration(
    integrations: &[&'static Integration],
    name: &str,
) -> Result<&'static Integration, HostedError> {
    integrations
        .iter()
        .copied()
        .find(|integration| integration.name == name)
        .ok_or_else(|| {
            let known: Vec<&str> = integrations
                .iter()
                .map(|integration| integration.name)
                .collect();
            HostedError::invalid(
                "unknown_integration",
                format!(
                    "unknown integration {name:?}; known integrations: {}",
                    known.join(", ")
                ),
            )
        })
}

/// Exactly the credentials `integration` declares, each non-empty.
pub fn credentials(
    integration: &'static Integration,
    given: &BTreeMap<String, String>,
) -> Result<Credentials, HostedError> {
    let declared: Vec<&str> = integration
        .credentials
        .iter()
        .map(|spec| spec.name)
        .collect();
    let unknown: Vec<&str> = given
        .keys()
        .map(String::as_str)
        .filter(|name| !declared.contains(name))
        .collect();
    let missing: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|name| given.get(*name).is_none_or(|value| value.is_empty()))
        .collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing or empty: {}", quoted(&missing)));
    }
    if !unknown.is_empty() {
        problems.push(format!("unknown: {}", quoted(&unknown)));
    }
    if let Some((name, _)) = given
        .iter()
        .find(|(_, value)| value.len() > MAX_CREDENTIAL_LEN)
    {
        problems.push(format!(
            "`{name}` is longer than {MAX_CREDENTIAL_LEN} bytes"
        ));
    }
    if !problems.is_empty() {
        return Err(HostedError::invalid(
            "invalid_credentials",
            format!(
                "invalid credentials for {}: {}; expected exactly: {}",
                integration.name,
                problems.join("; "),
                quoted(&declared)
            ),
        ));
    }
    Ok(given
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect())
}

/// A trimmed, non-empty name of printable characters.
pub fn name(name: &str) -> Result<String, HostedError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(HostedError::invalid(
            "invalid_name",
            "name must not be empty",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(HostedError::invalid(
            "invalid_name",
            format!("name must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(HostedError::invalid(
            "invalid_name",
            "name must not contain control characters",
        ));
    }
    Ok(name.to_owned())
}

/// Normalises `config` (`base` supplies absent fields) and checks it keeps at least one tool of
/// `integration`.
pub fn config(
    integration: &'static Integration,
    input: &ConfigInput,
    base: &ServerConfig,
) -> Result<ServerConfig, HostedError> {
    let methods = input.methods.as_ref().unwrap_or(&base.methods);
    let tags = input.tags.as_ref().unwrap_or(&base.tags);
    let filter = ToolFilter::parse(methods, tags).and_then(|filter| {
        filter.select(integration)?;
        Ok(filter)
    });
    let filter = filter.map_err(|error| match error {
        FilterError::NoMatch {
            integration,
            filter,
        } => HostedError::invalid(
            "no_matching_tools",
            format!("no {integration} tool matches {filter}; widen config.methods or config.tags"),
        ),
        other => HostedError::invalid("invalid_filter", format!("config: {other}")),
    })?;
    Ok(ServerConfig {
        methods: filter.methods().iter().map(ToString::to_string).collect(),
        tags: filter.tags().to_vec(),
        require_api_token_auth: input
            .require_api_token_auth
            .unwrap_or(base.require_api_token_auth),
        tool_exposure: input.tool_exposure.unwrap_or(base.tool_exposure),
        max_result_bytes: match input.max_result_bytes {
            Some(bytes) if !(1024..=16 * 1024 * 1024).contains(&bytes) => {
                return Err(HostedError::invalid(
                    "invalid_max_result_bytes",
                    format!("config.max_result_bytes: {bytes} is not between 1024 and 16777216"),
                ));
            }
            Some(bytes) => Some(bytes),
            None => base.max_result_bytes,
        },
    })
}

/// The filter a stored (already validated) config stands for.
pub fn stored_filter(config: &ServerConfig) -> Result<ToolFilter, HostedError> {
    ToolFilter::parse(&config.methods, &config.tags).map_err(|error| {
        HostedError::Internal(format!("stored MCP server config is invalid: {error}"))
    })
}

/// Parses an RFC 3339 expiry that is at least `min_ahead` after `now`; `None` never expires.
pub fn expiry(
    text: Option<&str>,
    now: DateTime<Utc>,
    min_ahead: TimeDelta,
) -> Result<Option<DateTime<Utc>>, HostedError> {
    let Some(text) = text else { return Ok(None) };
    let expires_at = DateTime::parse_from_rfc3339(text.trim())
        .map_err(|error| {
            HostedError::invalid(
                "invalid_expires_at",
                format!(
                    "expires_at {text:?} is not an RFC 3339 date-time ({error}); \
                     write it like 2030-01-31T12:00:00Z, or null for no expiry"
                ),
            )
        })?
        .with_timezone(&Utc);
    let earliest = now + min_ahead;
    if expires_at < earliest {
        return Err(HostedError::invalid(
            "invalid_expires_at",
            format!(
                "expires_at must be at least {} s in the future: the earliest accepted now is {}",
                min_ahead.num_seconds(),
                timestamp(earliest)
            ),
        ));
    }
    Ok(Some(expires_at))
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn expiry_rejects_garbage_and_near_times() {
        let now = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let min = TimeDelta::seconds(60);
        assert_eq!(expiry(None, now, min).unwrap(), None);
        let error = expiry(Some("tomorrow"), now, min).unwrap_err().to_string();
        assert!(error.contains("RFC 3339"), "{error}");
        let error = expiry(Some("2030-01-01T00:00:59Z"), now, min)
            .unwrap_err()
            .to_string();
        assert!(error.contains("at least 60 s"), "{error}");
        let ok = expiry(Some("2030-01-01T01:00:00+01:00"), now, min);
        assert!(ok.is_err(), "that is midnight UTC, i.e. now");
        let ok = expiry(Some("2030-01-01T00:01:00Z"), now, min).unwrap();
        assert_eq!(ok, Some(now + min));
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(name("  audit ").unwrap(), "audit");
        assert!(name("  ").is_err());
        assert!(name("a\nb").is_err());
        assert!(name(&"x".repeat(201)).is_err());
    }
}
