//! Small checks shared by integration, resource and method validation: names, prose, tags,
//! dotted paths and credential templates.

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostic;
use crate::naming;

use super::source::Source;
use super::suggest::did_you_mean;
use super::template::placeholders;

/// `what` (e.g. "resource name") must be snake_case.
pub(crate) fn snake_case(
    src: &Source<'_>,
    path: &[String],
    name: &str,
    what: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    if naming::is_snake_case(name) {
        return true;
    }
    let fixed = naming::suggested_snake_case(name);
    let fixed = fixed.trim_matches('_');
    let hint = if naming::is_snake_case(fixed) {
        format!("use lowercase letters, digits and single underscores: `{fixed}`")
    } else {
        "use lowercase letters, digits and single underscores, starting with a letter".to_owned()
    };
    out.push(src.error(
        src.value(path),
        format!("{what} `{name}` is not snake_case"),
        Some(hint),
    ));
    false
}

/// Prose that reaches users and models must say something.
pub(crate) fn non_empty(
    src: &Source<'_>,
    path: &[String],
    text: &str,
    hint: &str,
    out: &mut Vec<Diagnostic>,
) {
    if text.trim().is_empty() {
        let key = path.last().map(String::as_str).unwrap_or("value");
        out.push(src.error(
            src.value(path),
            format!("`{key}` is empty"),
            Some(hint.to_owned()),
        ));
    }
}

/// Tags are matched by `--tags a,b` and hosted-mode filters: no commas, no spaces, not empty.
pub(crate) fn tags(src: &Source<'_>, path: &[String], tags: &[String], out: &mut Vec<Diagnostic>) {
    for (i, tag) in tags.iter().enumerate() {
        if tag.is_empty() || tag.contains(|c: char| c == ',' || c.is_whitespace()) {
            out.push(src.error(
                src.value(&super::schema::join(path, &[&i.to_string()])),
                format!("tag `{tag}` must be a non-empty word without commas or spaces"),
                Some(
                    "tags are matched by `--tags a,b`; write `rbac` or `access-control`".to_owned(),
                ),
            ));
        }
    }
}

/// A dotted path into a JSON body (`page.next_token`): non-empty segments.
pub(crate) fn dotted(src: &Source<'_>, path: &[String], value: &str, out: &mut Vec<Diagnostic>) {
    if value.split('.').any(str::is_empty) {
        let key = path.last().map(String::as_str).unwrap_or("path");
        out.push(
            src.error(
                src.value(path),
                format!("`{key}` must be a dotted path like `data.items`, found `{value}`"),
                Some(
                    "separate keys with single dots; leave the key out to mean the whole body"
                        .to_owned(),
                ),
            ),
        );
    }
}

/// A header or parameter name: a non-empty HTTP token.
pub(crate) fn token(
    src: &Source<'_>,
    path: &[String],
    value: &str,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
    if !valid {
        out.push(src.error(
            src.value(path),
            format!("{what} `{value}` is not a valid name"),
            Some("use letters, digits and `-`, `_` or `.`, with no spaces".to_owned()),
        ));
    }
}

/// A template over credential names (`"{api_token}"`): well formed, every name declared.
pub(crate) fn credential_template(
    src: &Source<'_>,
    path: &[String],
    text: &str,
    credentials: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let key = path.last().map(String::as_str).unwrap_or("value");
    match placeholders(text) {
        Err(error) => out.push(src.error(
            src.value_at_char(path, error.char),
            format!("malformed template in `{key}`: {error}"),
            Some("placeholders look like `{api_token}` and name a credential".to_owned()),
        )),
        Ok(found) => {
            for placeholder in found {
                if credentials.iter().any(|name| name == placeholder.name) {
                    continue;
                }
                let hint = did_you_mean(placeholder.name, credentials.iter().map(String::as_str))
                    .unwrap_or_else(|| {
                        format!(
                            "declare `{}` under `credentials`, or fix the placeholder",
                            placeholder.name
                        )
                    });
                out.push(src.error(
                    src.value_at_char(path, placeholder.char),
                    format!("unknown credential `{{{}}}` in `{key}`", placeholder.name),
                    Some(hint),
                ));
            }
        }
    }
}

/// `[a, b]` as owned key-path segments.
pub(crate) fn path(segments: &[&str]) -> Vec<String> {
    segments.iter().map(|s| (*s).to_owned()).collect()
}
