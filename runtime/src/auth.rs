//! Applying an integration's [`AuthSpec`]: its templates are filled from the account's
//! credentials once, when the client is built, so a call only clones a ready header value.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::credentials::Credentials;
use crate::error::ConfigError;
use crate::registry::{AuthSpec, Integration};
use mcpgen_placeholders::{self as template, Piece, Placeholder};

/// An [`AuthSpec`] with its credentials filled in.
#[derive(Clone)]
pub(crate) enum Auth {
    None,
    /// Sent on every request; marked sensitive so it is never logged by the HTTP stack.
    Header(HeaderName, HeaderValue),
    /// Appended to every request's query (`?api_key=...`).
    Query(String, String),
}

impl Auth {
    pub(crate) fn resolve(
        integration: &Integration,
        credentials: &Credentials,
    ) -> Result<Self, ConfigError> {
        let invalid = |reason: String| ConfigError::InvalidAuth {
            integration: integration.name,
            reason,
        };
        let render = |template: &str| render(template, credentials).map_err(&invalid);
        match integration.auth {
            AuthSpec::None => Ok(Auth::None),
            AuthSpec::Header { name, value } => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| invalid(format!("`{name}` is not a valid header name")))?;
                let value = header_value(render(value)?).map_err(|()| {
                    invalid(format!(
                        "the value of header `{name}` is not a valid header value once filled"
                    ))
                })?;
                Ok(Auth::Header(name, value))
            }
            AuthSpec::Bearer { token } => {
                let value = header_value(format!("Bearer {}", render(token)?)).map_err(|()| {
                    invalid("the bearer token is not a valid header value".to_owned())
                })?;
                Ok(Auth::Header(AUTHORIZATION, value))
            }
            AuthSpec::Basic { username, password } => {
                let pair = format!("{}:{}", render(username)?, render(password)?);
                let value =
                    header_value(format!("Basic {}", STANDARD.encode(pair))).map_err(|()| {
                        invalid("the basic credentials are not a valid header value".to_owned())
                    })?;
                Ok(Auth::Header(AUTHORIZATION, value))
            }
            AuthSpec::Query { name, value } => Ok(Auth::Query(name.to_owned(), render(value)?)),
        }
    }
}

/// The `user:pass` pair of an integration with Basic auth, filled from `credentials`.
pub(crate) fn basic_pair(integration: &Integration, credentials: &Credentials) -> Option<String> {
    let AuthSpec::Basic { username, password } = integration.auth else {
        return None;
    };
    Some(format!(
        "{}:{}",
        render(username, credentials).ok()?,
        render(password, credentials).ok()?
    ))
}

/// Fills `{credential}` placeholders; the error names the placeholder, never a value.
fn render(template: &str, credentials: &Credentials) -> Result<String, String> {
    let pieces = template::parse(template).map_err(|error| format!("`{template}`: {error}"))?;
    let mut out = String::with_capacity(template.len() + 32);
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(Placeholder { name, .. }) => {
                out.push_str(credentials.get(name).ok_or_else(|| {
                    format!("`{template}` names `{{{name}}}`, which is not a supplied credential")
                })?);
            }
        }
    }
    Ok(out)
}

fn header_value(text: String) -> Result<HeaderValue, ()> {
    let mut value = HeaderValue::try_from(text).map_err(|_| ())?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::registry::{CredentialSpec, RateLimitSpec};

    fn integration(auth: AuthSpec) -> Integration {
        Integration {
            name: "acme",
            display_name: "Acme",
            description: "",
            base_url: "http://127.0.0.1",
            credentials: &[CredentialSpec {
                name: "api_token",
                description: "",
                secret: true,
            }],
            auth,
            rate_limit: RateLimitSpec {
                limit: &[],
                remaining: &[],
                reset: &[],
            },
            error_message_path: None,
            tools: &[],
            resources: &[],
        }
    }

    #[test]
    fn templates_fill_headers_and_mark_them_sensitive() {
        let credentials = Credentials::new().with("api_token", "tok");
        let auth = Auth::resolve(
            &integration(AuthSpec::Header {
                name: "API-Token",
                value: "{api_token}",
            }),
            &credentials,
        );
        let Ok(Auth::Header(name, value)) = auth else {
            panic!("expected a header")
        };
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("api-token", "tok")
        );
        assert!(value.is_sensitive());

        let auth = Auth::resolve(
            &integration(AuthSpec::Basic {
                username: "u",
                password: "{api_token}",
            }),
            &credentials,
        );
        let Ok(Auth::Header(_, value)) = auth else {
            panic!("expected a header")
        };
        assert_eq!(value.to_str().unwrap(), "Basic dTp0b2s=");
    }

    #[test]
    fn invalid_values_are_reported_without_the_value() {
        let credentials = Credentials::new().with("api_token", "bad\nsecret");
        let auth = Auth::resolve(
            &integration(AuthSpec::Bearer {
                token: "{api_token}",
            }),
            &credentials,
        );
        let Err(error) = auth else {
            panic!("expected an error")
        };
        assert!(!error.to_string().contains("secret"), "{error}");
        let auth = Auth::resolve(
            &integration(AuthSpec::Bearer {
                token: "{apitoken}",
            }),
            &credentials,
        );
        let Err(error) = auth else {
            panic!("expected an error")
        };
        assert!(error.to_string().contains("`{apitoken}`"), "{error}");
    }
}
