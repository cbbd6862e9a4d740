//! The integration file: names and prose from `info`, `base_url` from `host`/`basePath`/
//! `schemes` (Swagger 2.0) or `servers` (OpenAPI 3; server variables become credentials),
//! credentials and `auth` from the security schemes, rate-limit headers from the replies,
//! where error bodies keep their message, and the pagination most lists share.
//!
//! When the spec names no server, `base_url` is the placeholder [`PLACEHOLDER_BASE_URL`]; when it
//! declares no usable security scheme, auth falls back to a bearer token. Both are printed and
//! marked with a comment in the file.

use std::collections::BTreeMap;

use serde_json::Value;

use super::detect;
use super::naming::snake;
use super::operation::Operation;
use super::refs::{Refs, child};
use super::spec::Version;
use crate::docs::{AuthDoc, CredentialDoc, ErrorsDoc, IntegrationDoc, PaginationDoc, RateLimitDoc};
use crate::error::Error;

/// The `base_url` written when the spec names no server: a reserved name that never resolves.
pub(crate) const PLACEHOLDER_BASE_URL: &str = "https://set-the-base-url.invalid";

/// The integration doc, what to say about it, and the comments to write above its keys.
#[derive(Debug)]
pub(crate) struct Built {
    pub(crate) doc: IntegrationDoc,
    pub(crate) notes: Vec<String>,
    /// Top-level key -> a comment line written above it.
    pub(crate) comments: Vec<(&'static str, String)>,
}

/// Builds the integration doc named `name`.
pub(crate) fn integration(
    refs: &Refs<'_>,
    name: &str,
    pagination: Option<PaginationDoc>,
    ops: &[Operation],
) -> Result<Built, Error> {
    let root = &refs.spec.root;
    let info = |key: &str| {
        root.pointer(&format!("/info/{key}"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|text| !text.is_empty())
    };
    let display_name = info("title")
        .map(str::to_owned)
        .unwrap_or_else(|| name.to_owned());
    let description = info("description")
        .map(str::to_owned)
        .unwrap_or_else(|| format!("The {display_name} API."));
    let mut built = Built {
        doc: IntegrationDoc {
            name: name.to_owned(),
            display_name,
            description,
            base_url: String::new(),
            credentials: BTreeMap::new(),
            auth: AuthDoc::None,
            pagination: pagination.filter(|p| *p != PaginationDoc::None),
            rate_limit: rate_limit(ops),
            errors: detect::error_message_path(refs, ops)?
                .map(|message_path| ErrorsDoc { message_path }),
            tool_tags: BTreeMap::new(),
        },
        notes: Vec::new(),
        comments: Vec::new(),
    };
    base_url(refs, &mut built);
    auth(refs, &mut built)?;
    Ok(built)
}

fn base_url(refs: &Refs<'_>, built: &mut Built) {
    let root = &refs.spec.root;
    let (host, path) = match refs.spec.version {
        Version::Swagger2 => {
            let scheme = match root.get("schemes").and_then(Value::as_array) {
                Some(schemes) if schemes.iter().any(|s| s == "https") || schemes.is_empty() => {
                    "https"
                }
                Some(schemes) => schemes.first().and_then(Value::as_str).unwrap_or("https"),
                None => "https",
            };
            let host = root
                .get("host")
                .and_then(Value::as_str)
                .map(|host| format!("{scheme}://{host}"));
            let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
            (host, base.to_owned())
        }
        Version::OpenApi30 | Version::OpenApi31 => {
            match root.pointer("/servers/0/url").and_then(Value::as_str) {
                Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                    (Some(server_variables(root, url, built)), String::new())
                }
                Some(relative) => (None, relative.to_owned()),
                None => (None, String::new()),
            }
        }
    };
    let path = path.trim_end_matches('/');
    match host {
        Some(host) => built.doc.base_url = format!("{}{path}", host.trim_end_matches('/')),
        None => {
            built.doc.base_url = format!("{PLACEHOLDER_BASE_URL}{path}");
            built.notes.push(format!(
                "base_url: the spec names no server, so `base_url` is the placeholder \
                 `{PLACEHOLDER_BASE_URL}{path}`: set it to the API's address before you use the tools"
            ));
            built.comments.push((
                "base_url",
                "PLACEHOLDER: the spec names no server. Set base_url to the API's address."
                    .to_owned(),
            ));
        }
    }
}

/// The server URL with each `{variable}` a credential (`secret: false`).
fn server_variables(root: &Value, url: &str, built: &mut Built) -> String {
    let mut url = url.to_owned();
    let Some(variables) = root
        .pointer("/servers/0/variables")
        .and_then(Value::as_object)
    else {
        return url;
    };
    for (variable, spec) in variables {
        let credential = snake(variable);
        url = url.replace(&format!("{{{variable}}}"), &format!("{{{credential}}}"));
        let default = spec.get("default").and_then(Value::as_str);
        let description = spec
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("The `{variable}` part of the server address."));
        let description = match default {
            Some(default) => format!(
                "{} (the spec's default: `{default}`).",
                description.trim_end().trim_end_matches('.')
            ),
            None => description,
        };
        built.doc.credentials.insert(
            credential,
            CredentialDoc {
                description,
                secret: false,
            },
        );
    }
    url
}

/// Credentials and `auth` from the first usable security scheme, the ones the spec requires
/// first.
fn auth(refs: &Refs<'_>, built: &mut Built) -> Result<(), Error> {
    let root = &refs.spec.root;
    let pointer = match refs.spec.version {
        Version::Swagger2 => "/securityDefinitions",
        _ => "/components/securitySchemes",
    };
    let mut names: Vec<String> = Vec::new();
    let required = root.get("security").and_then(Value::as_array);
    for requirement in required.into_iter().flatten() {
        names.extend(
            requirement
                .as_object()
                .into_iter()
                .flat_map(|r| r.keys().cloned()),
        );
    }
    if let Some(schemes) = root.pointer(pointer).and_then(Value::as_object) {
        names.extend(schemes.keys().cloned());
    }
    for name in names {
        let at = child(pointer, &name);
        let Some(scheme) = root.pointer(&at) else {
            continue;
        };
        let (scheme, _) = refs.follow(scheme, &at)?;
        if let Some((auth, credentials)) = scheme_auth(scheme) {
            built.doc.auth = auth;
            built.doc.credentials.extend(credentials);
            return Ok(());
        }
    }
    built.doc.auth = AuthDoc::Bearer {
        token: "{api_token}".to_owned(),
    };
    built.doc.credentials.insert(
        "api_token".to_owned(),
        CredentialDoc {
            description: "An API token, sent as a bearer token (the spec declares no \
                          authentication: check how this API expects it)."
                .to_owned(),
            secret: true,
        },
    );
    built.notes.push(
        "auth: the spec declares no usable security scheme, so auth is a bearer token \
         (`api_token`): check how the API expects credentials"
            .to_owned(),
    );
    built.comments.push((
        "auth",
        "FALLBACK: the spec declares no authentication. Check that the API takes a bearer token."
            .to_owned(),
    ));
    Ok(())
}

/// `auth` and its credentials for one security scheme; `None` for kinds the format lacks
/// (an API key in a cookie, mutual TLS).
fn scheme_auth(scheme: &Value) -> Option<(AuthDoc, Vec<(String, CredentialDoc)>)> {
    let text = |key: &str| scheme.get(key).and_then(Value::as_str);
    let described = |fallback: String| text("description").map(str::to_owned).unwrap_or(fallback);
    let secret = |description: String| CredentialDoc {
        description,
        secret: true,
    };
    let template = |credential: &str| format!("{{{credential}}}");
    let bearer = |what: &str| {
        Some((
            AuthDoc::Bearer {
                token: template("access_token"),
            },
            vec![(
                "access_token".to_owned(),
                secret(described(format!(
                    "{what}, sent as `Authorization: Bearer <token>`."
                ))),
            )],
        ))
    };
    match (
        text("type")?,
        text("scheme").map(str::to_ascii_lowercase).as_deref(),
    ) {
        ("apiKey", _) => {
            let param = text("name")?.to_owned();
            let credential = secret(described(format!("The API key, sent as `{param}`.")));
            let auth = match text("in")? {
                "header" => AuthDoc::Header {
                    header: param,
                    value: template("api_key"),
                },
                "query" => AuthDoc::Query {
                    param,
                    value: template("api_key"),
                },
                _ => return None,
            };
            Some((auth, vec![("api_key".to_owned(), credential)]))
        }
        ("basic", _) | ("http", Some("basic")) => Some((
            AuthDoc::Basic {
                username: template("username"),
                password: template("password"),
            },
            vec![
                (
                    "username".to_owned(),
                    CredentialDoc {
                        description: described(
                            "The user name for HTTP basic authentication.".to_owned(),
                        ),
                        secret: false,
                    },
                ),
                (
                    "password".to_owned(),
                    secret("The password for HTTP basic authentication.".to_owned()),
                ),
            ],
        )),
        ("http", Some("bearer")) => bearer("A bearer token"),
        ("oauth2", _) | ("openIdConnect", _) => {
            bearer("An OAuth 2.0 access token, obtained outside mcpgen")
        }
        _ => None,
    }
}

/// Rate-limit headers the success replies declare, by what they carry.
fn rate_limit(ops: &[Operation]) -> Option<RateLimitDoc> {
    let mut doc = RateLimitDoc {
        limit: Vec::new(),
        remaining: Vec::new(),
        reset: Vec::new(),
    };
    for header in ops.iter().flat_map(|op| &op.reply_headers) {
        let lower = header.to_ascii_lowercase();
        if !lower.contains("ratelimit") && !lower.contains("rate-limit") {
            continue;
        }
        let list = if lower.contains("remaining") {
            &mut doc.remaining
        } else if lower.contains("reset") {
            &mut doc.reset
        } else if lower.contains("limit") {
            &mut doc.limit
        } else {
            continue;
        };
        if !list.contains(header) {
            list.push(header.clone());
        }
    }
    let empty = doc.limit.is_empty() && doc.remaining.is_empty() && doc.reset.is_empty();
    (!empty).then_some(doc)
}
