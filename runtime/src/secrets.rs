//! The secret values of an account in every spelling they may take in a message, and the
//! scrubber every error the client returns passes through.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::auth;
use crate::credentials::Credentials;
use crate::endpoint::SEGMENT;
use crate::registry::Integration;

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
        resources: &[],
    };

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
