//! An account's credentials: plain name -> value pairs (`tenant`, `api_token`). Their `Debug`
//! output never shows a value; `crate::secrets` keeps the secret ones out of errors.

use std::collections::BTreeMap;
use std::fmt;

use crate::registry::Integration;

/// The credential values one account supplies, by credential name.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    values: BTreeMap<String, String>,
}

impl Credentials {
    /// No credentials yet; add them with [`Credentials::insert`] or [`Credentials::with`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads every credential `integration` declares from `<INTEGRATION>_<CREDENTIAL>`
    /// (upper-cased, e.g. `CHRONOSPHERE_API_TOKEN`). Unset variables are left out; see
    /// [`Credentials::missing`].
    pub fn from_env(integration: &Integration) -> Self {
        let mut credentials = Self::new();
        for spec in integration.credentials {
            if let Ok(value) = std::env::var(env_var(integration.name, spec.name)) {
                credentials.insert(spec.name, value);
            }
        }
        credentials
    }

    /// Sets one credential, replacing any earlier value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.values.insert(name.into(), value.into());
        self
    }

    /// Builder form of [`Credentials::insert`].
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(name, value);
        self
    }

    /// The value of credential `name`; `None` when unset. An empty value is returned as it is,
    /// though building a client counts it as missing.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Credential names that are set, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// The environment variables of the credentials `integration` declares that are unset or
    /// empty here, in declaration order.
    pub fn missing(&self, integration: &Integration) -> Vec<String> {
        integration
            .credentials
            .iter()
            .filter(|spec| self.get(spec.name).is_none_or(str::is_empty))
            .map(|spec| env_var(integration.name, spec.name))
            .collect()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted;
        impl fmt::Debug for Redacted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }
        f.debug_map()
            .entries(self.values.keys().map(|name| (name, Redacted)))
            .finish()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Credentials {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut credentials = Self::new();
        for (name, value) in iter {
            credentials.insert(name, value);
        }
        credentials
    }
}

/// The environment variable a credential is read from: `<INTEGRATION>_<CREDENTIAL>`, upper-cased.
pub fn env_var(integration: &str, credential: &str) -> String {
    let mut name = String::with_capacity(integration.len() + credential.len() + 1);
    name.push_str(integration);
    name.push('_');
    name.push_str(credential);
    name.make_ascii_uppercase();
    name
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::registry::{AuthSpec, CredentialSpec, RateLimitSpec};

    static INTEGRATION: Integration = Integration {
        name: "acme_cloud",
        display_name: "Acme",
        description: "",
        base_url: "https://{tenant}.example.com",
        credentials: &[
            CredentialSpec {
                name: "tenant",
                description: "",
                secret: false,
            },
            CredentialSpec {
                name: "api_token",
                description: "",
                secret: true,
            },
        ],
        auth: AuthSpec::None,
        rate_limit: RateLimitSpec {
            limit: &[],
            remaining: &[],
            reset: &[],
        },
        error_message_path: None,
        tools: &[],
        resources: &[],
    };

    #[test]
    fn env_var_is_integration_and_credential_upper_cased() {
        assert_eq!(env_var("acme_cloud", "api_token"), "ACME_CLOUD_API_TOKEN");
    }

    #[test]
    fn missing_lists_unset_and_empty_credentials_as_env_vars() {
        let credentials = Credentials::new().with("tenant", "");
        assert_eq!(
            credentials.missing(&INTEGRATION),
            ["ACME_CLOUD_TENANT", "ACME_CLOUD_API_TOKEN"]
        );
        let credentials = credentials.with("tenant", "acme").with("api_token", "t");
        assert!(credentials.missing(&INTEGRATION).is_empty());
    }

    #[test]
    fn debug_shows_names_but_no_values() {
        let credentials = Credentials::new().with("api_token", "s3cr3t-value");
        let debug = format!("{credentials:?}");
        assert!(debug.contains("api_token"), "{debug}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }
}
