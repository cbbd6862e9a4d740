//! One integration folder: `integration.yaml`, every resource file, and the checks that span
//! files (duplicate resources, `tool_tags` names, duplicate tool names).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use crate::diagnostics::Diagnostic;
use crate::docs::{IntegrationDoc, RateLimitDoc, ResourceDoc};
use crate::load::yaml::Pos;
use crate::load::{IntegrationFiles, SourceFile};
use crate::model::{Auth, Credential, Integration, Pagination, RateLimitHeaders, Resource};
use crate::naming;
use crate::parallel;

use super::checks::{self, path};
use super::method::ToolSite;
use super::resource::{self, IntegrationContext};
use super::shape;
use super::source::Source;
use super::suggest::did_you_mean;

/// The derived schemas of the two file kinds (computed once per run).
pub(crate) struct Schemas {
    pub(crate) integration: Json,
    pub(crate) resource: Json,
}

/// Validates a whole folder; `None` if anything in it was reported.
pub(crate) fn validate_folder(
    folder: &IntegrationFiles,
    schemas: &Schemas,
    out: &mut Vec<Diagnostic>,
) -> Option<Integration> {
    let before = out.len();
    let header = folder.integration.as_ref().and_then(|file| {
        let (doc, missing_at) = parse::<IntegrationDoc>(file, &schemas.integration, out);
        let doc = doc?;
        let src = Source::new(&file.path, &file.tree);
        let from = out.len();
        let integration = header(&doc, folder, &src, out);
        forget_repeats(out, from, &file.path, &missing_at);
        Some((integration, doc, src))
    });
    // Resources are checked even when the integration file is broken, with what is known.
    let name = header
        .as_ref()
        .map_or(folder.dir_name.as_str(), |(integration, _, _)| {
            integration.name.as_str()
        });
    let pagination = header
        .as_ref()
        .map(|(integration, _, _)| &integration.pagination);
    let credentials = header
        .as_ref()
        .map(|(integration, _, _)| integration.credentials.as_slice());
    let cx = IntegrationContext {
        name,
        pagination,
        credentials,
    };

    // Each resource file is checked on its own, in parallel; what spans files (duplicate
    // names, then which diagnostics to keep) is decided after, in file order.
    let checked = parallel::map(&folder.resources, |file| check_resource(file, schemas, &cx));
    let resources = merge_resources(folder, checked, out);
    duplicate_tools(&resources.tools, out);

    let (mut integration, doc, src) = header?;
    check_tool_tags(&doc, folder, &resources.names, &src, out);
    if out.len() != before {
        return None;
    }
    let mut resources = resources.resources;
    for resource in &mut resources {
        let extra = doc
            .tool_tags
            .get(&resource.name)
            .into_iter()
            .flatten()
            .cloned();
        let tags: BTreeSet<String> = resource.tags.drain(..).chain(extra).collect();
        resource.tags = tags.into_iter().collect();
    }
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    integration.resources = resources;
    Some(integration)
}

/// The resources of a folder once each file has been checked on its own.
struct Resources<'f> {
    resources: Vec<Resource>,
    /// Every tool, with the file it comes from.
    tools: Vec<(&'f Path, ToolSite)>,
    /// Resource name -> where it is first declared.
    names: BTreeMap<String, (&'f Path, Pos)>,
}

/// Keeps each file's diagnostics and results, in file order, reporting duplicate resources.
fn merge_resources<'f>(
    folder: &'f IntegrationFiles,
    checked: Vec<CheckedResource>,
    out: &mut Vec<Diagnostic>,
) -> Resources<'f> {
    let mut merged = Resources {
        resources: Vec::new(),
        tools: Vec::new(),
        names: BTreeMap::new(),
    };
    for (file, checked) in folder.resources.iter().zip(checked) {
        out.extend(checked.shape_diagnostics);
        let Some((doc, validated, diagnostics)) = checked.doc else {
            continue;
        };
        let src = Source::new(&file.path, &file.tree);
        let from = out.len();
        if let Some((first_file, first_pos)) = merged.names.get(&doc.name) {
            out.push(src.error(
                src.value(&path(&["name"])),
                format!("duplicate resource `{}`", doc.name),
                Some(format!(
                    "`{}` is already defined in {}, line {}",
                    doc.name,
                    first_file.display(),
                    first_pos.line
                )),
            ));
            continue;
        }
        let name_pos = src.value(&path(&["name"]));
        merged
            .names
            .insert(doc.name.clone(), (&file.path, name_pos));
        out.extend(diagnostics);
        forget_repeats(out, from, &file.path, &checked.missing_at);
        if let Some((resource, sites)) = validated {
            merged.resources.push(resource);
            let file = file.path.as_path();
            merged
                .tools
                .extend(sites.into_iter().map(|site| (file, site)));
        }
    }
    merged
}

/// `tool_tags` names resources of this folder, and its tags are well formed.
fn check_tool_tags(
    doc: &IntegrationDoc,
    folder: &IntegrationFiles,
    names: &BTreeMap<String, (&Path, Pos)>,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let known: BTreeSet<&str> = folder
        .resource_stems
        .iter()
        .map(String::as_str)
        .chain(names.keys().map(String::as_str))
        .collect();
    for (resource, tags) in &doc.tool_tags {
        let key = path(&["tool_tags", resource]);
        if !known.contains(resource.as_str()) {
            let hint = did_you_mean(resource, known.iter().copied()).unwrap_or_else(|| {
                "`tool_tags` keys are resource names (the file names under `resources/`)".to_owned()
            });
            out.push(src.error(
                src.key(&key),
                format!("`tool_tags` names unknown resource `{resource}`"),
                Some(hint),
            ));
        }
        checks::tags(src, &key, tags, out);
    }
}

/// One resource file checked on its own: its shape (and reading it), then its meaning.
struct CheckedResource {
    shape_diagnostics: Vec<Diagnostic>,
    missing_at: Vec<Pos>,
    /// The doc, what validating it produced, and what that reported.
    doc: Option<(ResourceDoc, Option<ValidatedResource>, Vec<Diagnostic>)>,
}

type ValidatedResource = (Resource, Vec<ToolSite>);

fn check_resource(
    file: &SourceFile,
    schemas: &Schemas,
    cx: &IntegrationContext<'_>,
) -> CheckedResource {
    let mut shape_diagnostics = Vec::new();
    let (doc, missing_at) = parse::<ResourceDoc>(file, &schemas.resource, &mut shape_diagnostics);
    let doc = doc.map(|doc| {
        let mut diagnostics = Vec::new();
        let src = Source::new(&file.path, &file.tree);
        let validated = resource::validate(&doc, &file.stem, cx, &src, &mut diagnostics);
        (doc, validated, diagnostics)
    });
    CheckedResource {
        shape_diagnostics,
        missing_at,
        doc,
    }
}

/// Shape check, then deserialization into the raw doc type; also returns where "missing key"
/// was reported (see [`forget_repeats`]).
fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    schema: &Json,
    out: &mut Vec<Diagnostic>,
) -> (Option<T>, Vec<Pos>) {
    let checked = shape::check(schema, &file.tree, &file.path, out);
    let Some(json) = checked.json else {
        return (None, checked.missing_at);
    };
    match serde_json::from_value(json) {
        Ok(doc) => (Some(doc), checked.missing_at),
        Err(error) => {
            // The shape check mirrors the raw types, so this means the two disagree: a bug.
            out.push(Diagnostic {
                file: file.path.clone(),
                line: file.tree.pos.line,
                column: file.tree.pos.column,
                message: format!("could not read this file: {error}"),
                hint: Some(
                    "this is a bug in mcpgen's validation; please report it with this file"
                        .to_owned(),
                ),
            });
            (None, checked.missing_at)
        }
    }
}

/// A missing text key is filled with `""` so its file is still checked; the later checks then
/// complain about that empty value at the same place ("`http` is empty"). Drops those repeats:
/// diagnostics from index `from` on, in `file`, at a position where "missing key" was reported.
fn forget_repeats(out: &mut Vec<Diagnostic>, from: usize, file: &Path, missing_at: &[Pos]) {
    if missing_at.is_empty() {
        return;
    }
    let mut index = 0;
    out.retain(|d| {
        index += 1;
        index <= from
            || d.file != file
            || !missing_at
                .iter()
                .any(|p| p.line == d.line && p.column == d.column)
    });
}

/// The integration file's own checks; the result has no resources yet.
fn header(
    doc: &IntegrationDoc,
    folder: &IntegrationFiles,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Integration {
    check_names_and_prose(doc, folder, src, out);
    let credentials = credentials(doc, src, out);
    let declared: BTreeSet<String> = doc.credentials.keys().cloned().collect();
    check_base_url(doc, &declared, src, out);
    let auth = auth(doc, src, &declared, out);
    let pagination = match &doc.pagination {
        Some(style) => super::pagination::convert(style, &path(&["pagination"]), src, out),
        None => Pagination::None,
    };
    let rate_limit = match &doc.rate_limit {
        Some(headers) => rate_limit(headers, src, out),
        None => RateLimitHeaders::default(),
    };
    let error_message_path = doc.errors.as_ref().map(|errors| {
        checks::dotted(
            src,
            &path(&["errors", "message_path"]),
            &errors.message_path,
            out,
        );
        errors.message_path.clone()
    });
    Integration {
        name: doc.name.clone(),
        display_name: doc.display_name.trim().to_owned(),
        description: doc.description.trim().to_owned(),
        base_url: doc.base_url.clone(),
        credentials,
        auth,
        pagination,
        rate_limit,
        error_message_path,
        resources: Vec::new(),
    }
}

/// The integration's name (snake_case, matching its folder), display name and description.
fn check_names_and_prose(
    doc: &IntegrationDoc,
    folder: &IntegrationFiles,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if checks::snake_case(src, &path(&["name"]), &doc.name, "integration name", out)
        && doc.name != folder.dir_name
    {
        out.push(src.error(
            src.value(&path(&["name"])),
            format!(
                "integration name `{}` does not match its folder `{}`",
                doc.name, folder.dir_name
            ),
            Some(format!(
                "rename the folder to `{}`, or set `name: {}`",
                doc.name, folder.dir_name
            )),
        ));
    }
    checks::non_empty(
        src,
        &path(&["display_name"]),
        &doc.display_name,
        "give the name people know the API by",
        out,
    );
    checks::non_empty(
        src,
        &path(&["description"]),
        &doc.description,
        "say what the API is for in a sentence or two",
        out,
    );
}

/// The credentials in declaration order, as written (the raw map is sorted), each checked.
fn credentials(
    doc: &IntegrationDoc,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Credential> {
    let order: Vec<String> = src
        .node(&path(&["credentials"]))
        .and_then(|node| node.as_map())
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.key.as_scalar().map(|k| k.text.clone()))
        .collect();
    let mut credentials = Vec::new();
    for name in order {
        let Some(credential) = doc.credentials.get(&name) else {
            continue;
        };
        let key = path(&["credentials", &name]);
        if !naming::is_snake_case(&name) {
            out.push(src.error(
                src.key(&key),
                format!("credential name `{name}` is not snake_case"),
                Some(format!(
                    "use lowercase letters, digits and single underscores: `{}`",
                    naming::suggested_snake_case(&name).trim_matches('_')
                )),
            ));
        }
        checks::non_empty(
            src,
            &checks::path(&["credentials", &name, "description"]),
            &credential.description,
            "say what the value is and where to find it",
            out,
        );
        credentials.push(Credential {
            name,
            description: credential.description.trim().to_owned(),
            secret: credential.secret,
        });
    }
    credentials
}

/// `base_url` is an http(s) URL whose placeholders name declared credentials.
fn check_base_url(
    doc: &IntegrationDoc,
    declared: &BTreeSet<String>,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let base_url = path(&["base_url"]);
    checks::credential_template(src, &base_url, &doc.base_url, declared, out);
    if !(doc.base_url.starts_with("https://") || doc.base_url.starts_with("http://")) {
        out.push(src.error(
            src.value(&base_url),
            format!(
                "`base_url` must start with `https://` or `http://`, found `{}`",
                doc.base_url
            ),
            Some("write the full URL, e.g. `https://{tenant}.example.com`".to_owned()),
        ));
    }
}

/// The rate-limit header names, each a valid header name.
fn rate_limit(
    headers: &RateLimitDoc,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> RateLimitHeaders {
    for (key, names) in [
        ("limit", &headers.limit),
        ("remaining", &headers.remaining),
        ("reset", &headers.reset),
    ] {
        for (i, name) in names.iter().enumerate() {
            checks::token(
                src,
                &path(&["rate_limit", key, &i.to_string()]),
                name,
                "header",
                out,
            );
        }
    }
    RateLimitHeaders {
        limit: headers.limit.clone(),
        remaining: headers.remaining.clone(),
        reset: headers.reset.clone(),
    }
}

fn auth(
    doc: &IntegrationDoc,
    src: &Source<'_>,
    declared: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) -> Auth {
    use crate::docs::AuthDoc;
    let template = |key: &str, value: &str, out: &mut Vec<Diagnostic>| {
        checks::credential_template(src, &path(&["auth", key]), value, declared, out);
        value.to_owned()
    };
    match &doc.auth {
        AuthDoc::None => Auth::None,
        AuthDoc::Header { header, value } => {
            checks::token(src, &path(&["auth", "header"]), header, "header", out);
            Auth::Header {
                name: header.clone(),
                value: template("value", value, out),
            }
        }
        AuthDoc::Bearer { token } => Auth::Bearer {
            token: template("token", token, out),
        },
        AuthDoc::Basic { username, password } => Auth::Basic {
            username: template("username", username, out),
            password: template("password", password, out),
        },
        AuthDoc::Query { param, value } => {
            checks::token(
                src,
                &path(&["auth", "param"]),
                param,
                "query parameter",
                out,
            );
            Auth::Query {
                name: param.clone(),
                value: template("value", value, out),
            }
        }
    }
}

/// Two methods of one integration must not produce the same tool name, nor names that become
/// the same Rust static (`a-b` and `a_b` are both `A_B`).
fn duplicate_tools(tools: &[(&Path, ToolSite)], out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<String, (&Path, &ToolSite)> = BTreeMap::new();
    for (file, site) in tools {
        let static_name = naming::tool_static(&site.name);
        let Some((first_file, first_site)) = first.get(&static_name) else {
            first.insert(static_name, (file, site));
            continue;
        };
        let message = if first_site.name == site.name {
            format!(
                "duplicate tool name `{}`: {} and {} both produce it",
                site.name, first_site.method, site.method
            )
        } else {
            format!(
                "tool names `{}` ({}) and `{}` ({}) would both become the Rust static `{static_name}`",
                first_site.name, first_site.method, site.name, site.method
            )
        };
        let other = if first_file == file {
            format!("on line {}", first_site.pos.line)
        } else {
            format!("in {}, line {}", first_file.display(), first_site.pos.line)
        };
        out.push(Diagnostic {
            file: file.to_path_buf(),
            line: site.pos.line,
            column: site.pos.column,
            message,
            hint: Some(format!(
                "set `tool_name:` on one of them (the other is {other})"
            )),
        });
    }
}
