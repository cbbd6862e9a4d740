//! An account's credentials, and the scrubber that keeps their secret values out of errors.
//!
//! Credentials are plain name -> value pairs (`tenant`, `api_token`). Their `Debug` output
//! never shows a value, and every error the client returns passes through [`Secrets::scrub`].

use std::collections::BTreeMap;
use std::fmt;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::auth;
use crate::endpoint::SEGMENT;
use crate::registry::Integration;

/// The credential values one account supplies, by credential name.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    values: BTreeMap<String, String>,
}

impl Credentials {
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

/// The secret values of one account, in every spelling they may take in a message: raw,
/// percent-encoded (path, query and form style), JSON-escaped, and, for `Authorization: Basic`,
/// the base64 of the `user:pass` pair in the standard and URL-safe alphabets.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    /// Longest first, so a secret that contains another is replaced whole.
    spellings: Vec<String>,
}

impl Secrets {
    /// Collects the values of the credentials `integration` marks secret. Values too short to be
    /// told apart from ordinary text are still scrubbed: a leaked secret is worse than an odd
    /// message.
    pub(crate) fn new(integration: &Integration, credentials: &Credentials) -> Self {
        let mut spellings = Vec::new();
        let secret_values: Vec<&str> = integration
            .credentials
            .iter()
            .filter(|spec| spec.secret)
            .filter_map(|spec| credentials.get(spec.name))
            .filter(|value| !value.is_empty())
            .collect();
        for value in &secret_values {
            spellings.push((*value).to_owned());
            for set in [NON_ALPHANUMERIC, SEGMENT] {
                spellings.push(utf8_percent_encode(value, set).to_string());
            }
            spellings.push(url::form_urlencoded::byte_serialize(value.as_bytes()).collect());
            spellings.extend(json_spellings(value));
        }
        if let Some(pair) = auth::basic_pair(integration, credentials)
            && secret_values.iter().any(|value| pair.contains(value))
        {
            spellings.extend(base64_spellings(pair.as_bytes()));
        }
        spellings.retain(|spelling| !spelling.is_empty());
        spellings.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        spellings.dedup();
        Self { spellings }
    }

    /// `text` with every spelling of every secret replaced by `[redacted]`. Scrub whole texts
    /// before cutting them: a cut can split a secret into a prefix no spelling matches.
    pub(crate) fn scrub(&self, text: String) -> String {
        let mut text = text;
        for spelling in &self.spellings {
            if text.contains(spelling.as_str()) {
                text = text.replace(spelling.as_str(), "[redacted]");
            }
        }
        text
    }
}

/// How `value` reads inside a JSON string: escaped by serde_json, and with `/` escaped as
/// `\/` too, which other encoders emit.
fn json_spellings(value: &str) -> [String; 2] {
    let quoted = serde_json::Value::from(value).to_string();
    let escaped = quoted[1..quoted.len() - 1].to_owned();
    let slashes = escaped.replace('/', "\\/");
    [escaped, slashes]
}

/// `bytes` in base64: standard and URL-safe alphabets, each with and without padding.
fn base64_spellings(bytes: &[u8]) -> [String; 4] {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [
        STANDARD.encode(bytes),
        STANDARD_NO_PAD.encode(bytes),
        URL_SAFE.encode(bytes),
        URL_SAFE_NO_PAD.encode(bytes),
    ]
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

    #[test]
    fn scrub_replaces_raw_and_encoded_secret_values_only() {
        let credentials = Credentials::new()
            .with("tenant", "acme")
            .with("api_token", "a b/c");
        let secrets = Secrets::new(&INTEGRATION, &credentials);
        let text = secrets.scrub("acme: a b/c, a%20b%2Fc, a+b%2Fc".to_owned());
        assert_eq!(text, "acme: [redacted], [redacted], [redacted]");
    }
}
