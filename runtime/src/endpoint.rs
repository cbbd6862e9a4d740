//! Upstream URLs: resolving an integration's base URL template once per account, and filling a
//! tool's path template per call.
//!
//! Both are where untrusted text meets a URL, so both are strict. A credential that lands in the
//! host may only hold letters, digits, `-` and `.` (a tenant of `evil.com/x#` must not send the
//! request, and its credentials, elsewhere); a path argument is percent-encoded as exactly one
//! segment, and `.`/`..` are refused, so no input can climb out of the resource path.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::{Host, Url};

use crate::credentials::Credentials;
use crate::error::{ConfigError, UpstreamError};
use crate::registry::PathSegment;
use mcpgen_placeholders::{self as template, Piece, Placeholder};

/// Everything but RFC 3986 unreserved characters is encoded, `/` and `%` included.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A resolved base URL, ready to have paths appended.
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl {
    url: Url,
    /// `url`'s path without a trailing `/`, so `path_prefix + "/api/..."` is the request path.
    path_prefix: String,
    /// The credentials that filled part of the host (not the port), in template order.
    host_credentials: Vec<String>,
    /// The account's credentials, for [`PathSegment::Credential`] segments.
    account: Credentials,
}

impl BaseUrl {
    /// Fills `{credential}` placeholders in `template` from `credentials` and checks the result
    /// is an absolute http(s) URL without query or fragment.
    pub(crate) fn resolve(template: &str, credentials: &Credentials) -> Result<Self, ConfigError> {
        let invalid = |reason: String| ConfigError::InvalidBaseUrl {
            template: template.to_owned(),
            reason,
        };
        let authority_start = template.find("://").map_or(0, |index| index + 3);
        let authority_end = template[authority_start..]
            .find(['/', '?', '#'])
            .map_or(template.len(), |index| authority_start + index);
        let host_end = host_end(template, authority_start, authority_end);
        let mut host_credentials = Vec::new();

        let pieces = template::parse(template)
            .map_err(|error| invalid(format!("{error} at byte {}", error.byte)))?;
        let mut resolved = String::with_capacity(template.len() + 32);
        for piece in pieces {
            let (name, at) = match piece {
                Piece::Text(text) => {
                    resolved.push_str(text);
                    continue;
                }
                Piece::Placeholder(Placeholder { name, byte, .. }) => (name, byte),
            };
            let value = credentials.get(name).ok_or_else(|| {
                invalid(format!(
                    "placeholder `{{{name}}}` names no supplied credential"
                ))
            })?;
            if at < authority_end {
                check_host_label(name, value).map_err(&invalid)?;
                if at < host_end {
                    host_credentials.push(name.to_owned());
                }
                resolved.push_str(value);
            } else {
                check_segment(value)
                    .map_err(|reason| invalid(format!("credential `{name}` {reason}")))?;
                resolved.extend(utf8_percent_encode(value, SEGMENT));
            }
        }

        let url = Url::parse(&resolved).map_err(|error| invalid(error.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "the scheme must be http or https, not `{}`",
                url.scheme()
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("the URL has no host".to_owned()));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(
                "a base URL cannot have a query or a fragment".to_owned(),
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                "put credentials in the auth settings, not in the base URL".to_owned(),
            ));
        }
        if url.scheme() == "https" && !cfg!(any(feature = "rustls", feature = "native-tls")) {
            return Err(ConfigError::TlsUnavailable {
                template: template.to_owned(),
            });
        }
        let path_prefix = url.path().trim_end_matches('/').to_owned();
        Ok(Self {
            url,
            path_prefix,
            host_credentials,
            account: credentials.clone(),
        })
    }

    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// Whether a credential chose (part of) the host.
    pub(crate) fn host_from_credential(&self) -> bool {
        !self.host_credentials.is_empty()
    }

    /// Refuses a host a credential chose that is not a public DNS name: an IP literal in any
    /// notation (the URL parser has already turned `2130706433` and `0x7f000001` into
    /// `127.0.0.1`) or `localhost`. Names are checked again at connect time, against what they
    /// resolve to (`crate::transport`).
    pub(crate) fn check_public_host(&self, integration: &'static str) -> Result<(), ConfigError> {
        let Some(name) = self.host_credentials.first() else {
            return Ok(());
        };
        let refused = |what: &str| ConfigError::PrivateHost {
            integration,
            credential: name.clone(),
            reason: what.to_owned(),
        };
        match self.url.host() {
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => Err(refused("an IP address")),
            Some(Host::Domain(domain)) => {
                let domain = domain.trim_end_matches('.').to_ascii_lowercase();
                if domain == "localhost" || domain.ends_with(".localhost") {
                    Err(refused("a loopback name"))
                } else {
                    Ok(())
                }
            }
            None => Err(refused("empty")),
        }
    }

    /// Appends `path` to the base URL, each [`PathSegment::Arg`] replaced by `lookup(name)` and
    /// each [`PathSegment::Credential`] by the account's value, encoded as one segment.
    pub(crate) fn join<'v>(
        &self,
        path: &[PathSegment],
        mut lookup: impl FnMut(&str) -> Option<&'v str>,
    ) -> Result<Url, UpstreamError> {
        let mut text = String::with_capacity(self.path_prefix.len() + 64);
        text.push_str(&self.path_prefix);
        if !matches!(path.first(), Some(PathSegment::Literal(first)) if first.starts_with('/')) {
            text.push('/');
        }
        for segment in path {
            let (name, value) = match *segment {
                PathSegment::Literal(literal) => {
                    text.push_str(literal);
                    continue;
                }
                PathSegment::Arg(name) => (
                    name,
                    lookup(name).ok_or_else(|| UpstreamError::InvalidInput {
                        message: format!("missing path argument `{name}`"),
                    })?,
                ),
                PathSegment::Credential(name) => (
                    name,
                    self.account
                        .get(name)
                        .ok_or_else(|| UpstreamError::InvalidInput {
                            message: format!("the account has no credential `{name}` for the path"),
                        })?,
                ),
            };
            check_segment(value).map_err(|reason| UpstreamError::InvalidInput {
                message: format!("`{name}` {reason}"),
            })?;
            text.extend(utf8_percent_encode(value, SEGMENT));
        }
        // Only the path changes, so the base URL's scheme and host are not parsed again.
        let mut url = self.url.clone();
        url.set_path(&text);
        Ok(url)
    }

    /// Whether `url` may be requested with this account's credentials: same scheme, host and
    /// port, and a path under the base path.
    pub(crate) fn contains(&self, url: &Url) -> bool {
        if url.origin() != self.url.origin() {
            return false;
        }
        let base_path = self.url.path().trim_end_matches('/');
        let path = url.path();
        path.strip_prefix(base_path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// Where the host ends in `template`'s authority: before a `:port` (outside `[...]`).
fn host_end(template: &str, authority_start: usize, authority_end: usize) -> usize {
    let authority = &template[authority_start..authority_end];
    let after_brackets = authority.rfind(']').map_or(0, |index| index + 1);
    authority[after_brackets..]
        .rfind(':')
        .map_or(authority_end, |colon| {
            authority_start + after_brackets + colon
        })
}

fn check_host_label(name: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!(
            "credential `{name}` is empty but is part of the host"
        ));
    }
    if !value
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.')
    {
        return Err(format!(
            "credential `{name}` is part of the host, so it may only contain letters, digits, `-` and `.`"
        ));
    }
    Ok(())
}

/// `.` and `..` are dot segments that URL parsers resolve away, however they are encoded.
fn check_segment(value: &str) -> Result<(), String> {
    match value {
        "" => Err("must not be empty".to_owned()),
        "." | ".." => Err(format!("must not be `{value}`")),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn tenant(value: &str) -> Credentials {
        Credentials::new().with("tenant", value)
    }

    #[test]
    fn tenant_fills_the_host() {
        let base = BaseUrl::resolve("http://{tenant}.example.com", &tenant("acme-1.eu")).unwrap();
        assert_eq!(base.url().as_str(), "http://acme-1.eu.example.com/");
    }

    #[test]
    fn host_injection_is_rejected_without_echoing_the_value() {
        for evil in [
            "evil.com/x#",
            "evil.com?",
            "a@evil.com",
            "evil.com:80",
            "",
            "évil",
        ] {
            let error = BaseUrl::resolve("http://{tenant}.example.com", &tenant(evil)).unwrap_err();
            let text = error.to_string();
            assert!(
                text.contains("may only contain") || text.contains("is empty"),
                "{evil:?}: {text}"
            );
        }
    }

    #[test]
    fn ip_and_localhost_hosts_from_a_credential_are_refused() {
        for (template, value) in [
            ("http://{tenant}:9000", "0x7f000001"),
            ("http://{tenant}:9000", "2130706433"),
            ("http://{tenant}:9000", "0177.0.0.1"),
            ("http://{tenant}:9000", "127.1"),
            ("http://{tenant}:9000", "localhost"),
            ("http://{tenant}", "LocalHost."),
            ("http://{tenant}", "api.localhost"),
            ("http://{tenant}", "169.254.169.254"),
            ("http://{tenant}.0.0.1", "127"),
        ] {
            let base = BaseUrl::resolve(template, &tenant(value)).unwrap();
            assert!(base.host_from_credential(), "{template} {value}");
            let error = base.check_public_host("acme").unwrap_err().to_string();
            assert!(
                error.contains("credential `tenant` makes the upstream host"),
                "{value}: {error}"
            );
            assert!(!error.contains(value), "{error}");
        }
        for (template, value) in [
            ("http://{tenant}.example.com", "acme"),
            ("http://{tenant}", "api.example.com"),
        ] {
            let base = BaseUrl::resolve(template, &tenant(value)).unwrap();
            assert!(base.check_public_host("acme").is_ok(), "{template} {value}");
        }
        // A credential in the port, the path or nowhere does not choose the host.
        for template in [
            "http://127.0.0.1:{tenant}",
            "http://127.0.0.1/{tenant}",
            "http://[::1]:{tenant}",
            "http://localhost",
        ] {
            let base = BaseUrl::resolve(template, &tenant("9000")).unwrap();
            assert!(!base.host_from_credential(), "{template}");
            assert!(base.check_public_host("acme").is_ok(), "{template}");
        }
    }

    #[test]
    fn placeholders_after_the_host_are_encoded_as_one_segment() {
        let base = BaseUrl::resolve("http://example.com/orgs/{tenant}", &tenant("a/b?c")).unwrap();
        assert_eq!(base.url().as_str(), "http://example.com/orgs/a%2Fb%3Fc");
        assert!(BaseUrl::resolve("http://example.com/orgs/{tenant}", &tenant("..")).is_err());
    }

    #[test]
    fn unknown_placeholder_and_bad_scheme_are_errors() {
        let error = BaseUrl::resolve("http://{region}.example.com", &tenant("x")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`{region}` names no supplied credential"),
            "{error}"
        );
        let error = BaseUrl::resolve("ftp://example.com", &tenant("x")).unwrap_err();
        assert!(error.to_string().contains("http or https"), "{error}");
        let error = BaseUrl::resolve("http://example.com/?a=b", &tenant("x")).unwrap_err();
        assert!(error.to_string().contains("query"), "{error}");
    }

    #[test]
    fn join_encodes_each_argument_as_one_segment() {
        let base = BaseUrl::resolve("http://127.0.0.1:9/prefix/", &Credentials::new()).unwrap();
        use PathSegment::{Arg, Literal};
        let members = [Literal("/teams/"), Arg("id"), Literal("/members")];
        let url = base.join(&members, |_| Some("../x y%2e")).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/prefix/teams/..%2Fx%20y%252e/members"
        );
        for bad in ["..", ".", ""] {
            let error = base.join(&members, |_| Some(bad)).unwrap_err();
            assert!(error.to_string().starts_with("`id` must not be"), "{error}");
        }
        let error = base.join(&members, |_| None).unwrap_err();
        assert_eq!(error.to_string(), "missing path argument `id`");
    }

    #[test]
    fn credential_segments_come_from_the_account() {
        use PathSegment::{Arg, Credential, Literal};
        let account = Credentials::new().with("owner", "acme corp");
        let base = BaseUrl::resolve("http://api.example.com", &account).unwrap();
        let issues = [
            Literal("/repos/"),
            Credential("owner"),
            Literal("/"),
            Arg("repo"),
            Literal("/issues"),
        ];
        let url = base.join(&issues, |_| Some("tools")).unwrap();
        assert_eq!(
            url.as_str(),
            "http://api.example.com/repos/acme%20corp/tools/issues"
        );
        let other = BaseUrl::resolve("http://api.example.com", &Credentials::new()).unwrap();
        let error = other.join(&issues, |_| Some("tools")).unwrap_err();
        assert!(
            error.to_string().contains("no credential `owner`"),
            "{error}"
        );
    }

    #[test]
    fn contains_requires_same_origin_and_base_path() {
        let base = BaseUrl::resolve("http://127.0.0.1:9/api", &Credentials::new()).unwrap();
        let inside = Url::parse("http://127.0.0.1:9/api/teams?page=2").unwrap();
        assert!(base.contains(&inside));
        for outside in [
            "http://127.0.0.1:10/api/teams",
            "https://127.0.0.1:9/api/teams",
            "http://evil.com/api/teams",
            "http://127.0.0.1:9/apix",
            "http://127.0.0.1:9/admin",
        ] {
            assert!(!base.contains(&Url::parse(outside).unwrap()), "{outside}");
        }
    }
}
