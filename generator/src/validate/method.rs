//! One method of a resource: its HTTP call, path placeholders, schemas, body, pagination and
//! the tool it becomes (name and flat argument list).

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostic;
use crate::docs::{MethodDoc, PaginationOverride, SchemaDoc};
use crate::load::yaml::Pos;
use crate::model::{
    Credential, HttpVerb, Method, MethodKind, ObjectSchema, Pagination, ParamLocation, PathSegment,
    Schema, SchemaKind,
};
use crate::naming;

use super::args::{Args, Origin};
use super::checks;
use super::pagination;
use super::schema::{KeyPath, convert, convert_object, join};
use super::source::Source;
use super::suggest::{did_you_mean, list};
use super::template::{Piece, pieces, placeholders};

/// What a method needs to know about its resource and integration.
pub(crate) struct MethodContext<'a> {
    pub(crate) integration: &'a str,
    /// The integration's default pagination; `None` when the integration file is broken.
    pub(crate) default_pagination: Option<&'a Pagination>,
    pub(crate) resource: &'a str,
    pub(crate) singular: &'a str,
    /// `Some(field)` when the resource declares `id:`.
    pub(crate) id_field: Option<&'a str>,
    /// The record schema; `None` when it is broken (record-field checks are then skipped).
    pub(crate) record: Option<&'a ObjectSchema>,
    /// The integration's credentials; `None` when the integration file is broken.
    pub(crate) credentials: Option<&'a [Credential]>,
}

/// A tool name and where it comes from, for the integration-wide duplicate check.
#[derive(Debug, Clone)]
pub(crate) struct ToolSite {
    pub(crate) name: String,
    pub(crate) pos: Pos,
    /// "`teams.list`".
    pub(crate) method: String,
}

/// Validates the method at `base` (`["methods", "list"]` or `["custom_methods", "archive"]`).
pub(crate) fn validate(
    kind: MethodKind,
    base: &KeyPath,
    doc: &MethodDoc,
    cx: &MethodContext<'_>,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Method, ToolSite)> {
    let before = out.len();
    let at = |more: &[&str]| join(base, more);
    checks::non_empty(
        src,
        &at(&["description"]),
        &doc.description,
        "say what the method does and when to use it",
        out,
    );
    checks::tags(src, &at(&["tags"]), &doc.tags, out);
    let (verb, path) = http(src, &at(&["http"]), &doc.http, out)?;
    let schemas = MethodSchemas::convert(base, doc, src, out)?;
    check_param_types(src, base, "query_schema", fields(&schemas.query), out);
    let path_fields = fields(&schemas.path_params);
    check_param_types(src, base, "path_schema", path_fields, out);
    let has_id = placeholders_match(src, base, &kind, &path, path_fields, cx, out);
    let body_record = doc
        .body_record
        .unwrap_or(matches!(kind, MethodKind::Create | MethodKind::Update));
    let has_body_fields = !fields(&schemas.body).properties.is_empty();
    check_body(src, base, doc, verb, body_record, has_body_fields, out);
    let pagination = effective_pagination(src, base, &kind, doc, verb, cx, out);
    let tool_name = tool_name(src, base, &kind, doc, cx, out);
    let shape = ArgShape {
        pagination: pagination.as_ref(),
        has_id,
        body_record,
    };
    check_args(src, base, &schemas, &shape, cx, out);

    if out.len() != before {
        return None;
    }
    let site = ToolSite {
        name: tool_name,
        pos: src.key(base),
        method: format!("`{}.{}`", cx.resource, kind.name()),
    };
    let method = Method {
        kind,
        tool_name: doc.tool_name.clone(),
        description: doc.description.trim().to_owned(),
        verb,
        path_segments: path_segments(&path, path_fields, cx),
        path,
        query: schemas.query,
        path_params: schemas.path_params,
        body_record,
        body_wrapper: doc.body_wrapper.clone(),
        body: schemas.body,
        response_path: doc.response_path.clone(),
        response_schema: schemas.response,
        pagination: pagination.unwrap_or(Pagination::None),
        tags: doc.tags.clone(),
    };
    Some((method, site))
}

/// `path` split into text and placeholders (already checked by `placeholders_match`): a
/// placeholder is a tool argument unless it names a credential and no `path_schema` field.
fn path_segments(
    path: &str,
    path_fields: &ObjectSchema,
    cx: &MethodContext<'_>,
) -> Vec<PathSegment> {
    let is_credential = |name: &str| {
        name != "id"
            && !path_fields.properties.contains_key(name)
            && cx
                .credentials
                .is_some_and(|credentials| credentials.iter().any(|c| c.name == name))
    };
    pieces(path)
        .unwrap_or_default()
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => PathSegment::Literal(text.to_owned()),
            Piece::Placeholder(placeholder) if is_credential(placeholder.name) => {
                PathSegment::Credential(placeholder.name.to_owned())
            }
            Piece::Placeholder(placeholder) => PathSegment::Arg(placeholder.name.to_owned()),
        })
        .collect()
}

/// A method's schemas, converted to the model (absent ones are empty objects).
struct MethodSchemas {
    query: Schema,
    path_params: Schema,
    body: Schema,
    response: Option<Schema>,
}

impl MethodSchemas {
    /// Converts every schema of the method at `base`; `None` when any of them is broken.
    fn convert(
        base: &KeyPath,
        doc: &MethodDoc,
        src: &Source<'_>,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let object = |key: &str, doc: &Option<SchemaDoc>, out: &mut Vec<Diagnostic>| match doc {
            Some(doc) => convert_object(doc, &join(base, &[key]), src, out),
            None => Some(empty_object()),
        };
        let query = object("query_schema", &doc.query_schema, out);
        let path_params = object("path_schema", &doc.path_schema, out);
        let body = object("body_schema", &doc.body_schema, out);
        let response = match &doc.response_schema {
            Some(schema) => Some(convert(
                schema,
                &join(base, &["response_schema"]),
                src,
                out,
            )?),
            None => None,
        };
        if let Some(response_path) = &doc.response_path {
            checks::dotted(src, &join(base, &["response_path"]), response_path, out);
        }
        Some(MethodSchemas {
            query: query?,
            path_params: path_params?,
            body: body?,
            response,
        })
    }
}

/// What decides a tool's arguments besides its schemas.
struct ArgShape<'a> {
    /// `None` when the integration's default is unknown (its file is broken).
    pagination: Option<&'a Pagination>,
    /// Whether the path has `{id}`.
    has_id: bool,
    /// Whether the record's writable fields are arguments.
    body_record: bool,
}

/// Every argument of the tool, from every source, must have its own name and Rust field.
fn check_args(
    src: &Source<'_>,
    base: &KeyPath,
    schemas: &MethodSchemas,
    shape: &ArgShape<'_>,
    cx: &MethodContext<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let at = |more: &[&str]| join(base, more);
    let (query, body) = (fields(&schemas.query), fields(&schemas.body));
    let method_name = base.last().map(String::as_str).unwrap_or_default();
    let mut args = Args::new(src, method_name);
    if let Some(pagination) = shape.pagination
        && *pagination != Pagination::None
    {
        args.reserve("limit", Origin::Pagination);
        args.reserve("next_cursor", Origin::Pagination);
        for reported in managed_fields(src, base, pagination, query, body, out) {
            args.already_reported(reported);
        }
    }
    if shape.has_id {
        args.reserve("id", Origin::Id);
    }
    let path_fields = fields(&schemas.path_params);
    let path_key = at(&["path_schema", "properties"]);
    args.add_fields(&path_key, path_fields, "path parameter", out);
    let query_key = at(&["query_schema", "properties"]);
    args.add_fields(&query_key, query, "query parameter", out);
    let body_key = at(&["body_schema", "properties"]);
    args.add_fields(&body_key, body, "body field", out);
    if shape.body_record
        && let Some(record) = cx.record
    {
        let writable = ObjectSchema {
            properties: record
                .properties
                .iter()
                .filter(|(_, s)| !s.read_only)
                .map(|(k, s)| (k.clone(), s.clone()))
                .collect(),
            required: Vec::new(),
        };
        let record_key = checks::path(&["schema", "properties"]);
        args.add_fields(&record_key, &writable, "record field", out);
    }
}

fn empty_object() -> Schema {
    Schema {
        description: None,
        kind: SchemaKind::Object(ObjectSchema::default()),
        read_only: false,
        examples: Vec::new(),
    }
}

fn fields(schema: &Schema) -> &ObjectSchema {
    static EMPTY: ObjectSchema = ObjectSchema {
        properties: std::collections::BTreeMap::new(),
        required: Vec::new(),
    };
    match &schema.kind {
        SchemaKind::Object(object) => object,
        _ => &EMPTY,
    }
}

/// `VERB /path` -> the verb and the path.
fn http(
    src: &Source<'_>,
    path: &[String],
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<(HttpVerb, String)> {
    let example = "write the call as `VERB /path`, e.g. `GET /api/v1/teams/{id}`".to_owned();
    let mut words = text.split_whitespace();
    let Some(verb_text) = words.next() else {
        out.push(src.error(src.value(path), "`http` is empty", Some(example)));
        return None;
    };
    let Some(verb) = HttpVerb::parse(verb_text) else {
        let names: Vec<&str> = HttpVerb::ALL.into_iter().map(HttpVerb::as_str).collect();
        let hint = did_you_mean(verb_text, names.iter().copied())
            .unwrap_or_else(|| format!("the verbs are {}", list(&names, "and")));
        out.push(src.error(
            src.value(path),
            format!("unknown HTTP verb `{verb_text}`"),
            Some(hint),
        ));
        return None;
    };
    let Some(url_path) = words.next() else {
        out.push(src.error(
            src.value(path),
            format!("`http` has no path after `{verb_text}`"),
            Some(example),
        ));
        return None;
    };
    if let Some(extra) = words.next() {
        out.push(src.error(
            src.value(path),
            format!("`http` has more than a verb and a path (`{extra}`)"),
            Some("paths cannot contain spaces; put query parameters in `query_schema`".to_owned()),
        ));
        return None;
    }
    if !url_path.starts_with('/') || url_path.contains('?') {
        out.push(
            src.error(
                src.value(path),
                format!("path `{url_path}` must start with `/` and have no query string"),
                Some(
                    "the path is relative to `base_url`; put query parameters in `query_schema`"
                        .to_owned(),
                ),
            ),
        );
        return None;
    }
    Some((verb, url_path.to_owned()))
}

/// Checks every `{placeholder}` against `id:` and `path_schema`; returns whether `{id}` is used.
fn placeholders_match(
    src: &Source<'_>,
    base: &KeyPath,
    kind: &MethodKind,
    path: &str,
    path_fields: &ObjectSchema,
    cx: &MethodContext<'_>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let http = join(base, &["http"]);
    // The path starts after the verb and its spaces in the `http` value.
    let offset_of_path = src
        .node(&http)
        .and_then(|node| node.as_scalar())
        .and_then(|scalar| {
            scalar
                .text
                .find('/')
                .map(|byte| scalar.text[..byte].chars().count())
        })
        .unwrap_or_default();
    let found = match placeholders(path) {
        Ok(found) => found,
        Err(error) => {
            out.push(src.error(
                src.value_at_char(&http, offset_of_path + error.char),
                format!("malformed path: {error}"),
                Some("placeholders look like `{id}`".to_owned()),
            ));
            return false;
        }
    };
    let mut seen = BTreeSet::new();
    let mut has_id = false;
    for placeholder in &found {
        let pos = src.value_at_char(&http, offset_of_path + placeholder.char);
        let name = placeholder.name;
        if !seen.insert(name) {
            out.push(src.error(
                pos,
                format!("path placeholder `{{{name}}}` appears twice"),
                None,
            ));
            continue;
        }
        if name == "id" {
            has_id = true;
            if matches!(kind, MethodKind::List | MethodKind::Create) {
                let which = kind.name();
                out.push(src.error(
                    pos,
                    format!("`{{id}}` in the path of a `{which}` method"),
                    Some(format!("`{which}` acts on the whole collection; remove `{{id}}` or make this a custom method")),
                ));
            } else if cx.id_field.is_none() {
                out.push(src.error(
                    pos,
                    "path placeholder `{id}` but the resource has no `id:`".to_owned(),
                    Some("declare which record field identifies a record: `id: {field: ..., description: ...}`".to_owned()),
                ));
            }
        } else {
            let field = path_fields.properties.contains_key(name);
            let credential = cx
                .credentials
                .and_then(|credentials| credentials.iter().find(|c| c.name == name));
            match (field, credential) {
                (true, None) => {}
                (true, Some(_)) => out.push(src.error(
                    pos,
                    format!(
                        "path placeholder `{{{name}}}` names both a `path_schema` field and a credential"
                    ),
                    Some("rename one of them".to_owned()),
                )),
                (false, Some(credential)) if credential.secret => out.push(src.error(
                    pos,
                    format!("path placeholder `{{{name}}}` names a secret credential"),
                    Some(format!(
                        "paths show up in logs and errors; mark `{name}` `secret: false` if its value is safe to show (an organisation, a tenant)"
                    )),
                )),
                (false, Some(_)) => {}
                // The integration file is broken: its credentials are unknown, not missing.
                (false, None) if cx.credentials.is_none() => {}
                (false, None) => {
                    let known = path_fields
                        .properties
                        .keys()
                        .map(String::as_str)
                        .chain(cx.credentials.unwrap_or_default().iter().map(|c| c.name.as_str()));
                    let hint = did_you_mean(name, known).unwrap_or_else(|| {
                        format!(
                            "declare `{name}` under `path_schema.properties` (an argument of the tool) or as a non-secret credential (a value of the account)"
                        )
                    });
                    out.push(src.error(
                        pos,
                        format!("path placeholder `{{{name}}}` has no matching field or credential"),
                        Some(hint),
                    ));
                }
            }
        }
    }
    for name in path_fields.properties.keys() {
        if !seen.contains(name.as_str()) {
            out.push(src.error(
                src.key(&join(base, &["path_schema", "properties", name])),
                format!("path parameter `{name}` does not appear in the path"),
                Some(format!(
                    "use `{{{name}}}` in `http`, or move it to `query_schema`"
                )),
            ));
        }
    }
    has_id
}

/// Query and path parameters are sent as text: scalars, or lists of scalars for the query.
fn check_param_types(
    src: &Source<'_>,
    base: &KeyPath,
    key: &str,
    fields: &ObjectSchema,
    out: &mut Vec<Diagnostic>,
) {
    for (name, schema) in &fields.properties {
        let scalar = |kind: &SchemaKind| {
            matches!(
                kind,
                SchemaKind::String { .. }
                    | SchemaKind::Integer
                    | SchemaKind::Number
                    | SchemaKind::Boolean
            )
        };
        let ok = match &schema.kind {
            SchemaKind::Array(items) => key == "query_schema" && scalar(&items.kind),
            kind => scalar(kind),
        };
        if !ok {
            let allowed = if key == "query_schema" {
                "strings, numbers, booleans or lists of them"
            } else {
                "strings, numbers or booleans"
            };
            out.push(src.error(
                src.key(&join(base, &[key, "properties", name])),
                format!(
                    "`{name}` cannot be sent in a URL: {} parameters must be {allowed}",
                    &key[..key.len() - 7]
                ),
                Some("send structured values in `body_schema`".to_owned()),
            ));
        }
    }
}

fn check_body(
    src: &Source<'_>,
    base: &KeyPath,
    doc: &MethodDoc,
    verb: HttpVerb,
    body_record: bool,
    has_body_fields: bool,
    out: &mut Vec<Diagnostic>,
) {
    let bodyless = matches!(verb, HttpVerb::Get | HttpVerb::Delete);
    let verb_name = verb.as_str();
    if bodyless && body_record {
        let (pos, hint) = match doc.body_record {
            Some(_) => (
                src.value(&join(base, &["body_record"])),
                "remove `body_record: true`, or use POST, PUT or PATCH",
            ),
            None => (
                src.value(&join(base, &["http"])),
                "use POST, PUT or PATCH, or set `body_record: false`",
            ),
        };
        out.push(src.error(
            pos,
            format!(
                "this method sends the record as a body, which a {verb_name} request does not carry"
            ),
            Some(hint.to_owned()),
        ));
    }
    if bodyless && has_body_fields {
        out.push(src.error(
            src.key(&join(base, &["body_schema"])),
            format!("`body_schema` on a {verb_name} request, which carries no body"),
            Some("move these fields to `query_schema`, or use POST, PUT or PATCH".to_owned()),
        ));
    }
    if let Some(wrapper) = &doc.body_wrapper {
        if !body_record {
            out.push(src.error(
                src.key(&join(base, &["body_wrapper"])),
                "`body_wrapper` without a record body",
                Some("remove `body_wrapper`, or set `body_record: true`".to_owned()),
            ));
        } else if wrapper.trim().is_empty() {
            out.push(src.error(
                src.value(&join(base, &["body_wrapper"])),
                "`body_wrapper` is empty",
                Some("name the key the record goes under, e.g. `team`".to_owned()),
            ));
        }
    }
}

/// The pagination of a list (override or default); `None` for other kinds, or when the
/// integration default is unknown because the integration file is broken.
fn effective_pagination(
    src: &Source<'_>,
    base: &KeyPath,
    kind: &MethodKind,
    doc: &MethodDoc,
    verb: HttpVerb,
    cx: &MethodContext<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Pagination> {
    let key = join(base, &["pagination"]);
    if *kind != MethodKind::List {
        if doc.pagination.is_some() {
            out.push(src.error(
                src.key(&key),
                "`pagination` only applies to `list` methods",
                Some("remove it".to_owned()),
            ));
        }
        return Some(Pagination::None);
    }
    let pagination = match &doc.pagination {
        Some(PaginationOverride::Off(_)) => Pagination::None,
        Some(PaginationOverride::Style(style)) => pagination::convert(style, &key, src, out),
        None => cx.default_pagination?.clone(),
    };
    if matches!(
        pagination,
        Pagination::Cursor {
            location: ParamLocation::Body,
            ..
        }
    ) && matches!(verb, HttpVerb::Get | HttpVerb::Delete)
    {
        let pos = if doc.pagination.is_some() {
            src.key(&key)
        } else {
            src.value(&join(base, &["http"]))
        };
        out.push(src.error(
            pos,
            "cursor pagination `in: body` needs a request body, and this list is a GET".to_owned(),
            Some("use `in: query`, or the POST search call this API pages through".to_owned()),
        ));
    }
    Some(pagination)
}

/// Parameters that pagination fills must not also be declared as fields. Returns the key
/// paths of the fields reported.
fn managed_fields(
    src: &Source<'_>,
    base: &KeyPath,
    pagination: &Pagination,
    query: &ObjectSchema,
    body: &ObjectSchema,
    out: &mut Vec<Diagnostic>,
) -> Vec<KeyPath> {
    let (location, managed) = pagination::managed_params(pagination);
    let (key, fields) = match location {
        ParamLocation::Query => ("query_schema", query),
        ParamLocation::Body => ("body_schema", body),
    };
    let mut reported = Vec::new();
    for param in managed {
        if fields.properties.contains_key(param) {
            let field = join(base, &[key, "properties", param]);
            out.push(src.error(
                src.key(&field),
                format!("`{param}` is set by pagination and cannot also be a field"),
                Some(format!(
                    "remove it from `{key}`; the tool's `limit` and `next_cursor` arguments fill it"
                )),
            ));
            reported.push(field);
        }
    }
    reported
}

fn tool_name(
    src: &Source<'_>,
    base: &KeyPath,
    kind: &MethodKind,
    doc: &MethodDoc,
    cx: &MethodContext<'_>,
    out: &mut Vec<Diagnostic>,
) -> String {
    if let Some(explicit) = &doc.tool_name {
        let pos = src.value(&join(base, &["tool_name"]));
        if explicit.chars().count() > naming::MAX_TOOL_NAME_LEN {
            out.push(src.error(
                pos,
                format!(
                    "tool name `{explicit}` is {} characters long; MCP clients accept at most {}",
                    explicit.chars().count(),
                    naming::MAX_TOOL_NAME_LEN
                ),
                Some(format!(
                    "shorten it, for example to `{}` (the rule `generator import` follows: \
                     docs/integration-docs.md, \"Tools and their arguments\")",
                    naming::short_tool_name(cx.integration, cx.resource, cx.singular, kind)
                )),
            ));
        } else if !naming::is_valid_tool_name(explicit) {
            out.push(src.error(
                pos,
                format!("tool name `{explicit}` may only use letters, digits, `_` and `-`"),
                Some(format!("for example `{}`", naming::arg_name(explicit))),
            ));
        }
        return explicit.clone();
    }
    let name = naming::tool_name(
        cx.integration,
        cx.resource,
        cx.singular,
        kind,
        cx.id_field.is_some(),
    );
    if name.len() > naming::MAX_TOOL_NAME_LEN {
        out.push(src.error(
            src.key(base),
            format!(
                "tool name `{name}` is {} characters long; MCP clients accept at most {}",
                name.len(),
                naming::MAX_TOOL_NAME_LEN
            ),
            Some(format!(
                "set `tool_name:` on this method to a shorter name, such as `{}` (the rule \
                 `generator import` follows: docs/integration-docs.md, \"Tools and their \
                 arguments\")",
                naming::short_tool_name(cx.integration, cx.resource, cx.singular, kind)
            )),
        ));
    }
    name
}
