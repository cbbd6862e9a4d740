//! What the importer finds in reply and body shapes: whether a reply is a list and where its
//! records are, where a record sits in a reply or request body (`{"team": {...}}` gives
//! `response_path: team` / `body_wrapper: team`), how a list pages (cursor, offset or page
//! parameters, a `Link` header), which record field the item path's parameter names, and where
//! error bodies keep their message.
//!
//! Schemas are told apart by the pointer their `$ref`s lead to: the same pointer is the same
//! schema.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::operation::{Operation, ParamIn, SpecSchema};
use super::refs::{Refs, child};
use crate::docs::{LocationDoc, PaginationDoc, SchemaDoc, SchemaTypeDoc};
use crate::error::Error;

/// Reply properties that describe a page rather than hold records, normalised (lowercase
/// letters and digits only).
const PAGE_METADATA: [&str; 22] = [
    "page",
    "pagination",
    "paging",
    "meta",
    "metadata",
    "links",
    "link",
    "next",
    "nexttoken",
    "nextcursor",
    "nextpagetoken",
    "cursor",
    "total",
    "totalcount",
    "totalsize",
    "count",
    "hasmore",
    "offset",
    "limit",
    "perpage",
    "pagesize",
    "pagenumber",
];
/// Query parameters that take a cursor, normalised.
const CURSOR_PARAMS: [&str; 10] = [
    "pagetoken",
    "token",
    "cursor",
    "pagecursor",
    "nexttoken",
    "nextpagetoken",
    "continuationtoken",
    "after",
    "startingafter",
    "pagingtoken",
];
/// Reply fields that hold the next cursor, normalised.
const NEXT_CURSOR_FIELDS: [&str; 8] = [
    "nexttoken",
    "nextcursor",
    "nextpagetoken",
    "continuationtoken",
    "endcursor",
    "cursor",
    "next",
    "nextpage",
];
/// Query parameters that take a page size, normalised.
const LIMIT_PARAMS: [&str; 10] = [
    "pagemaxsize",
    "maxsize",
    "limit",
    "pagesize",
    "perpage",
    "size",
    "maxresults",
    "pagelimit",
    "count",
    "top",
];
const OFFSET_PARAMS: [&str; 4] = ["offset", "skip", "start", "pageoffset"];
/// A list reply's "more pages follow" flag, normalised (`has_more`, `hasMore` -> `hasmore`).
const HAS_MORE_FIELDS: [&str; 2] = ["more", "hasmore"];
const PAGE_PARAMS: [&str; 5] = ["page", "pagenumber", "pagenum", "pageno", "pageindex"];

/// `page.max_size` -> `pagemaxsize`.
fn normalised(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.contains(&normalised(name).as_str())
}

/// A schema with its `$ref`s followed: the content, and its pointer (the schema's identity).
pub(crate) fn resolved<'s>(
    refs: &Refs<'s>,
    schema: &'s SpecSchema,
) -> Result<(&'s Value, String), Error> {
    refs.follow(&schema.value, &schema.pointer)
}

/// The properties of an object schema (following `$ref`s and merging `allOf`), each as a
/// [`SpecSchema`].
fn properties(refs: &Refs<'_>, schema: &SpecSchema) -> Result<Vec<(String, SpecSchema)>, Error> {
    let (value, pointer) = refs.follow(&schema.value, &schema.pointer)?;
    let mut out = Vec::new();
    if let Some(Value::Object(props)) = value.get("properties") {
        let at = child(&pointer, "properties");
        for (name, prop) in props {
            out.push((
                name.clone(),
                SpecSchema {
                    value: prop.clone(),
                    pointer: child(&at, name),
                },
            ));
        }
    }
    if let Some(Value::Array(branches)) = value.get("allOf") {
        for (i, branch) in branches.iter().enumerate() {
            let branch = SpecSchema {
                value: branch.clone(),
                pointer: child(&child(&pointer, "allOf"), &i.to_string()),
            };
            out.extend(properties(refs, &branch)?);
        }
    }
    Ok(out)
}

fn type_of(value: &Value) -> Option<&str> {
    match value.get("type") {
        Some(Value::String(name)) => Some(name),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .find(|n| *n != "null"),
        _ if value.get("properties").is_some() || value.get("allOf").is_some() => Some("object"),
        _ if value.get("items").is_some() => Some("array"),
        _ => None,
    }
}

/// The records of a list reply: their path in the reply (`None`: the reply is the array) and
/// the schema of one record.
#[derive(Debug, Clone)]
pub(crate) struct ListReply {
    pub(crate) path: Option<String>,
    pub(crate) items: SpecSchema,
}

/// Whether `reply` is a list, and where its records are. `strict`: only when every other
/// property is page metadata (to tell a list from a singleton that happens to hold an array).
pub(crate) fn list_reply(
    refs: &Refs<'_>,
    reply: &SpecSchema,
    strict: bool,
) -> Result<Option<ListReply>, Error> {
    let (value, pointer) = refs.follow(&reply.value, &reply.pointer)?;
    if type_of(value) == Some("array") {
        return Ok(value.get("items").map(|items| ListReply {
            path: None,
            items: SpecSchema {
                value: items.clone(),
                pointer: child(&pointer, "items"),
            },
        }));
    }
    let mut arrays = Vec::new();
    let mut others = Vec::new();
    for (name, prop) in properties(refs, reply)? {
        let (prop_value, prop_pointer) = refs.follow(&prop.value, &prop.pointer)?;
        match (type_of(prop_value), prop_value.get("items")) {
            (Some("array"), Some(items)) => arrays.push((
                name,
                SpecSchema {
                    value: items.clone(),
                    pointer: child(&prop_pointer, "items"),
                },
            )),
            _ => others.push(name),
        }
    }
    if strict && (arrays.len() != 1 || !others.iter().all(|name| is_one_of(name, &PAGE_METADATA))) {
        return Ok(None);
    }
    // Prefer an array of objects (the records) over arrays of strings (warnings, ...).
    let mut best = None;
    for (name, items) in arrays {
        let (items_value, _) = refs.follow(&items.value, &items.pointer)?;
        let objects = type_of(items_value) == Some("object");
        if best.is_none() || objects {
            let done = objects;
            best = Some((name, items));
            if done {
                break;
            }
        }
    }
    Ok(best.map(|(name, items)| ListReply {
        path: Some(name),
        items,
    }))
}

/// Where a record sits in a reply or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Placement {
    /// The schema is the record.
    Whole,
    /// The record is under this property; the other properties are listed.
    Under { key: String, others: Vec<String> },
    /// The record is not in it.
    Absent,
}

/// Where the record whose identity is `record` sits in `schema`.
pub(crate) fn placement(
    refs: &Refs<'_>,
    schema: &SpecSchema,
    record: &str,
) -> Result<Placement, Error> {
    let (_, identity) = resolved(refs, schema)?;
    if identity == record {
        return Ok(Placement::Whole);
    }
    let props = properties(refs, schema)?;
    let mut found = None;
    for (name, prop) in &props {
        if resolved(refs, prop)?.1 == record {
            found = Some(name.clone());
            break;
        }
    }
    Ok(match found {
        Some(key) => Placement::Under {
            others: props
                .iter()
                .map(|(n, _)| n.clone())
                .filter(|n| *n != key)
                .collect(),
            key,
        },
        None => Placement::Absent,
    })
}

/// A record wrapper found without knowing the record: the one property whose value is an
/// object with properties, when every other property is a scalar or a list of scalars.
pub(crate) fn lone_object(
    refs: &Refs<'_>,
    schema: &SpecSchema,
) -> Result<Option<(String, SpecSchema)>, Error> {
    let mut objects = Vec::new();
    for (name, prop) in properties(refs, schema)? {
        let (value, _) = refs.follow(&prop.value, &prop.pointer)?;
        let is_object = type_of(value) == Some("object");
        let has_fields = value.get("properties").is_some() || value.get("allOf").is_some();
        let of_objects = value
            .get("items")
            .map(|items| refs.follow(items, &prop.pointer))
            .transpose()?
            .is_some_and(|(items, _)| type_of(items) == Some("object"));
        if is_object && has_fields {
            objects.push((name, prop));
        } else if is_object || of_objects {
            return Ok(None);
        }
    }
    Ok(if objects.len() == 1 {
        objects.pop()
    } else {
        None
    })
}

/// A list's pagination and the query parameters it fills (left out of `query_schema`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Paging {
    pub(crate) doc: PaginationDoc,
    pub(crate) params: Vec<String>,
}

/// How `op`, a list whose reply is `reply`, pages; `Err` says why no style was found.
pub(crate) fn pagination(
    refs: &Refs<'_>,
    op: &Operation,
    reply: Option<&SpecSchema>,
) -> Result<Result<Paging, String>, Error> {
    let query: Vec<&str> = op
        .params
        .iter()
        .filter(|param| param.location == ParamIn::Query)
        .map(|param| param.name.as_str())
        .collect();
    let find = |list: &[&str]| {
        query
            .iter()
            .find(|name| is_one_of(name, list))
            .map(|n| (*n).to_owned())
    };
    let limit = find(&LIMIT_PARAMS);
    let with_limit = |mut params: Vec<String>| {
        params.extend(limit.clone());
        params
    };
    if let Some(cursor) = find(&CURSOR_PARAMS) {
        let next = match reply {
            Some(reply) => next_cursor(refs, reply, 0)?,
            None => None,
        };
        return Ok(match next {
            Some(next) => Ok(Paging {
                doc: PaginationDoc::Cursor {
                    location: LocationDoc::Query,
                    cursor_param: cursor.clone(),
                    limit_param: limit.clone(),
                    next_cursor_path: next,
                },
                params: with_limit(vec![cursor]),
            }),
            None => Err(format!(
                "takes a cursor (`{cursor}`) but its reply has no next-cursor field"
            )),
        });
    }
    let has_more_path = match reply {
        Some(reply) => has_more(refs, reply)?,
        None => None,
    };
    if let Some(offset) = find(&OFFSET_PARAMS) {
        return Ok(Ok(Paging {
            doc: PaginationDoc::Offset {
                offset_param: offset.clone(),
                limit_param: limit.clone(),
                has_more_path,
            },
            params: with_limit(vec![offset]),
        }));
    }
    if let Some(page) = find(&PAGE_PARAMS) {
        let first_page = op
            .params
            .iter()
            .find(|param| param.name == page)
            .and_then(|param| {
                let schema = &param.schema.value;
                schema.get("minimum").or_else(|| schema.get("default"))
            })
            .and_then(Value::as_u64)
            .filter(|first| *first <= 1)
            .unwrap_or(1);
        return Ok(Ok(Paging {
            doc: PaginationDoc::Page {
                page_param: page.clone(),
                limit_param: limit.clone(),
                first_page,
                has_more_path,
            },
            params: with_limit(vec![page]),
        }));
    }
    if op
        .reply_headers
        .iter()
        .any(|header| header.eq_ignore_ascii_case("link"))
    {
        return Ok(Ok(Paging {
            doc: PaginationDoc::LinkHeader {
                limit_param: limit.clone(),
            },
            params: with_limit(Vec::new()),
        }));
    }
    Ok(Err(
        "has no cursor, offset or page parameter and no `Link` header".to_owned(),
    ))
}

/// The dotted path of a string field holding the next cursor, searched two levels deep.
/// A top-level boolean of a list reply that says whether more pages follow (`more`,
/// `has_more`, `hasMore`), which ends page and offset lists without an extra call.
fn has_more(refs: &Refs<'_>, reply: &SpecSchema) -> Result<Option<String>, Error> {
    for (name, prop) in properties(refs, reply)? {
        let (value, _) = refs.follow(&prop.value, &prop.pointer)?;
        if is_one_of(&name, &HAS_MORE_FIELDS) && type_of(value) == Some("boolean") {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

fn next_cursor(
    refs: &Refs<'_>,
    schema: &SpecSchema,
    depth: usize,
) -> Result<Option<String>, Error> {
    let props = properties(refs, schema)?;
    let mut nested = Vec::new();
    for candidate in NEXT_CURSOR_FIELDS {
        for (name, prop) in &props {
            let (value, _) = refs.follow(&prop.value, &prop.pointer)?;
            if normalised(name) == candidate && type_of(value) == Some("string") {
                return Ok(Some(name.clone()));
            }
        }
    }
    if depth == 0 {
        for (name, prop) in props {
            let (value, _) = refs.follow(&prop.value, &prop.pointer)?;
            if type_of(value) == Some("object") && is_one_of(&name, &PAGE_METADATA) {
                nested.push((name, prop));
            }
        }
        for (name, prop) in nested {
            if let Some(inner) = next_cursor(refs, &prop, depth + 1)? {
                return Ok(Some(format!("{name}.{inner}")));
            }
        }
    }
    Ok(None)
}

/// The record field the item path's parameter names: the same name, the same name but for
/// case and separators, or `id` for a `<thing>_id`/`<thing>Id` parameter. Only string and
/// integer fields (and untyped ones, which take the parameter's type) can be the id.
pub(crate) fn id_field(param: &str, props: &BTreeMap<String, SchemaDoc>) -> Option<String> {
    let usable = |name: &str| {
        props.get(name).is_some_and(|prop| {
            matches!(
                prop.type_,
                Some(SchemaTypeDoc::String | SchemaTypeDoc::Integer) | None
            )
        })
    };
    if usable(param) {
        return Some(param.to_owned());
    }
    let wanted = normalised(param);
    if let Some(name) = props
        .keys()
        .find(|name| normalised(name) == wanted && usable(name))
    {
        return Some(name.clone());
    }
    let ends_in_id = wanted.len() > 2 && wanted.ends_with("id");
    (ends_in_id && usable("id")).then(|| "id".to_owned())
}

/// Where error bodies keep their message (`message`, `error.message`, `detail`), from the
/// error replies of every operation: the path most of them share.
pub(crate) fn error_message_path(
    refs: &Refs<'_>,
    ops: &[Operation],
) -> Result<Option<String>, Error> {
    let mut paths = Vec::new();
    for schema in ops.iter().flat_map(|op| &op.error_replies) {
        paths.extend(message_in(refs, schema, 0)?);
    }
    Ok(most_common(paths))
}

/// The value that occurs most often, the first seen among equals; `None` for none.
pub(crate) fn most_common<T: PartialEq>(values: impl IntoIterator<Item = T>) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(known, _)| *known == value) {
            Some((_, count)) => *count += 1,
            None => counts.push((value, 1)),
        }
    }
    let mut best: Option<(T, usize)> = None;
    for (value, count) in counts {
        if best.as_ref().is_none_or(|(_, most)| count > *most) {
            best = Some((value, count));
        }
    }
    best.map(|(value, _)| value)
}

fn message_in(refs: &Refs<'_>, schema: &SpecSchema, depth: usize) -> Result<Option<String>, Error> {
    const MESSAGES: [&str; 5] = [
        "message",
        "detail",
        "error_description",
        "error_message",
        "error",
    ];
    let props = properties(refs, schema)?;
    let strings: Map<String, Value> = props
        .iter()
        .filter_map(|(name, prop)| {
            let (value, _) = refs.follow(&prop.value, &prop.pointer).ok()?;
            (type_of(value) == Some("string")).then(|| (name.clone(), Value::Null))
        })
        .collect();
    if let Some(name) = MESSAGES.iter().find(|name| strings.contains_key(**name)) {
        return Ok(Some((*name).to_owned()));
    }
    if depth == 0
        && let Some((name, prop)) = props.iter().find(|(name, _)| name == "error")
        && let Some(inner) = message_in(refs, prop, 1)?
    {
        return Ok(Some(format!("{name}.{inner}")));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(props: &[(&str, Option<SchemaTypeDoc>)]) -> BTreeMap<String, SchemaDoc> {
        props
            .iter()
            .map(|(name, ty)| {
                let prop = SchemaDoc {
                    type_: *ty,
                    ..SchemaDoc::default()
                };
                ((*name).to_owned(), prop)
            })
            .collect()
    }

    #[test]
    fn the_id_field_follows_the_item_parameter() {
        let string = Some(SchemaTypeDoc::String);
        let team = record(&[("slug", string), ("name", string)]);
        assert_eq!(id_field("slug", &team).as_deref(), Some("slug"));
        assert_eq!(id_field("name", &team).as_deref(), Some("name"));
        assert_eq!(id_field("teamId", &team), None);
        let pet = record(&[("id", Some(SchemaTypeDoc::Integer)), ("petName", string)]);
        assert_eq!(id_field("petId", &pet).as_deref(), Some("id"));
        assert_eq!(id_field("pet_name", &pet).as_deref(), Some("petName"));
        let odd = record(&[("id", Some(SchemaTypeDoc::Object))]);
        assert_eq!(id_field("id", &odd), None);
    }

    #[test]
    fn names_are_compared_without_case_or_separators() {
        assert!(is_one_of("page.max_size", &LIMIT_PARAMS));
        assert!(is_one_of("pageToken", &CURSOR_PARAMS));
        assert!(is_one_of("per_page", &LIMIT_PARAMS));
        assert!(!is_one_of("names", &LIMIT_PARAMS));
    }
}
