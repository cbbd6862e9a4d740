//! Every Config API operation but the teams ones, served from the swagger's route table
//! (`crate::swagger`) over one store of JSON records per definition.
//!
//! The rules are the teams endpoints' own, applied to any record: lists page with
//! `page.max_size`/`page.token` (50 by default) and filter by the repeated `<field>s` parameters
//! whose field the records have (`slugs`, `names`, `team_slugs`); create answers 409 for a key in
//! use and generates a slug from `name` when none is given; update needs the record unless
//! `create_if_missing`; `dry_run` changes nothing and answers `{}`; delete answers `{}`. The
//! request is checked against the swagger: an unknown query parameter, body key or record field
//! is 400, as a strict protojson server would answer, so a doc that names a field the API does
//! not have fails its test. A record is keyed by its `slug` path parameter, by its parent's
//! (`/services/{service_slug}/attributes`), or by nothing (a singleton).

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::routing::{MethodFilter, MethodRouter};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

use crate::error::ApiError;
use crate::state::FakeState;
use crate::store::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::swagger::{Kind, Operation};
use crate::time::now_rfc3339;

type Reply = Result<Json<Value>, ApiError>;

/// The key of a singleton's one record.
const SINGLETON: &str = "";

/// Records by definition, then by key.
pub(crate) type Records = BTreeMap<String, BTreeMap<String, Value>>;

/// The routes of `operations`, one per path with all its verbs.
pub(crate) fn routes(operations: &'static [Operation]) -> Router<FakeState> {
    let mut by_path: BTreeMap<String, MethodRouter<FakeState>> = BTreeMap::new();
    for operation in operations {
        let filter = match operation.verb {
            "GET" => MethodFilter::GET,
            "POST" => MethodFilter::POST,
            "PUT" => MethodFilter::PUT,
            "PATCH" => MethodFilter::PATCH,
            _ => MethodFilter::DELETE,
        };
        let path = operation.path.clone();
        let handler = move |state: State<FakeState>,
                            params: RawPathParams,
                            query: RawQuery,
                            body: Bytes| async move {
            handle(operation, &state, &params, query.0.as_deref(), &body)
        };
        let route = by_path.remove(&path).unwrap_or_default();
        by_path.insert(path, route.on(filter, handler));
    }
    by_path
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(&path, route)
        })
}

fn handle(
    operation: &Operation,
    state: &FakeState,
    params: &RawPathParams,
    query: Option<&str>,
    body: &[u8],
) -> Reply {
    let query = parse_query(operation, query.unwrap_or_default())?;
    let key = match &operation.key_param {
        _ if operation.keyed_by_record => None,
        Some(name) => params
            .iter()
            .find(|(param, _)| param == name)
            .map(|(_, value)| value.to_owned()),
        None => Some(SINGLETON.to_owned()),
    };
    match operation.kind {
        Kind::List => list(operation, state, &query),
        Kind::Read => {
            let key = key.unwrap_or_default();
            let records = state.records();
            let record = records
                .get(&operation.definition)
                .and_then(|records| records.get(&key))
                .ok_or_else(|| not_found(operation, &key))?;
            Ok(Json(reply(operation, &key, record.clone())))
        }
        Kind::Create | Kind::Update => {
            let body = parse_body(operation, body)?;
            write(operation, state, key, body)
        }
        Kind::Delete => {
            let key = key.unwrap_or_default();
            let mut records = state.records_mut();
            let store = records.entry(operation.definition.clone()).or_default();
            if !store.contains_key(&key) {
                return Err(not_found(operation, &key));
            }
            if !dry_run(&query) {
                store.remove(&key);
            }
            Ok(Json(json!({})))
        }
    }
}

fn list(operation: &Operation, state: &FakeState, query: &[(String, String)]) -> Reply {
    let mut max_size = DEFAULT_PAGE_SIZE;
    let mut token = String::new();
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in query {
        match name.as_str() {
            "page.max_size" => {
                let size: usize = value.parse().map_err(|_| {
                    ApiError::invalid(format!("page.max_size: invalid integer \"{value}\""))
                })?;
                max_size = if size == 0 {
                    DEFAULT_PAGE_SIZE
                } else {
                    size.min(MAX_PAGE_SIZE)
                };
            }
            "page.token" => token = value.clone(),
            // `slugs` filters on `slug`, `team_slugs` on `team_slug`.
            other => filters
                .entry(other.strip_suffix('s').unwrap_or(other).to_owned())
                .or_default()
                .push(value.clone()),
        }
    }
    let start: usize = if token.is_empty() {
        0
    } else {
        token
            .parse()
            .map_err(|_| ApiError::invalid(format!("invalid page.token \"{token}\"")))?
    };
    let records = state.records();
    let matching: Vec<&Value> = records
        .get(&operation.definition)
        .into_iter()
        .flat_map(BTreeMap::values)
        .filter(|record| {
            filters
                .iter()
                .all(|(field, wanted)| match record.get(field) {
                    Some(Value::String(value)) => wanted.contains(value),
                    // A filter on a field these records do not have selects nothing out.
                    None => true,
                    Some(_) => true,
                })
        })
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(max_size)
        .map(|record| (*record).clone())
        .collect();
    let mut page_result = Map::new();
    if start + page.len() < matching.len() {
        page_result.insert(
            "next_token".to_owned(),
            Value::String((start + page.len()).to_string()),
        );
    }
    Ok(Json(
        json!({ operation.record_key.clone(): page, "page": page_result }),
    ))
}

fn write(
    operation: &Operation,
    state: &FakeState,
    key: Option<String>,
    body: Map<String, Value>,
) -> Reply {
    let mut record = match body.get(&operation.record_key) {
        Some(Value::Object(record)) => record.clone(),
        Some(_) => {
            return Err(ApiError::invalid(format!(
                "`{}` must be an object",
                operation.record_key
            )));
        }
        None => {
            return Err(ApiError::invalid(format!(
                "`{}` is required",
                operation.record_key
            )));
        }
    };
    if let Some(unknown) = record
        .keys()
        .find(|field| !operation.record_fields.contains(*field))
    {
        return Err(ApiError::invalid(format!(
            "unknown field \"{unknown}\" in {}",
            operation.record_key
        )));
    }
    let flag = |name: &str| body.get(name) == Some(&Value::Bool(true));
    // A create on a collection: the record's slug, or one made from its name.
    let key = key.unwrap_or_else(|| slug_of(&record));
    // The record's own copy of its key (`slug`, or a nested record's `service_slug`).
    let key_field = match &operation.key_param {
        _ if operation.keyed_by_record => Some("slug"),
        Some(param) => Some(param.as_str()),
        None => None,
    };
    if let Some(field) = key_field.filter(|field| operation.record_fields.contains(*field)) {
        match record.get(field) {
            Some(Value::String(value)) if *value != key => {
                return Err(ApiError::invalid(format!(
                    "{field} \"{value}\" does not match \"{key}\"; a {field} cannot change"
                )));
            }
            _ => {
                record.insert(field.to_owned(), Value::String(key.clone()));
            }
        }
    }
    let mut records = state.records_mut();
    let store = records.entry(operation.definition.clone()).or_default();
    let existing = store.get(&key).cloned();
    match (operation.kind, &existing) {
        (Kind::Create, Some(_)) => {
            return Err(ApiError::conflict(format!(
                "{} \"{key}\" already exists",
                operation.record_key
            )));
        }
        (Kind::Update, None) if !flag("create_if_missing") => {
            return Err(not_found(operation, &key));
        }
        _ => {}
    }
    if flag("dry_run") {
        return Ok(Json(json!({})));
    }
    let now = now_rfc3339();
    if operation.record_fields.contains("created_at") {
        let created = existing
            .as_ref()
            .and_then(|record| record.get("created_at").cloned())
            .unwrap_or_else(|| Value::String(now.clone()));
        record.insert("created_at".to_owned(), created);
    }
    if operation.record_fields.contains("updated_at") {
        record.insert("updated_at".to_owned(), Value::String(now));
    }
    let record = Value::Object(record);
    store.insert(key.clone(), record.clone());
    Ok(Json(reply(operation, &key, record)))
}

/// Stores `records` as the records of the operations at `path` (a test control), each under
/// `key` or its own `slug`; returns how many records of that kind there are.
pub(crate) fn insert(
    state: &FakeState,
    path: &str,
    key: Option<&str>,
    records: Vec<Value>,
) -> Result<usize, ApiError> {
    let operation = crate::swagger::table()
        .iter()
        .find(|operation| operation.path == path)
        .ok_or_else(|| ApiError::invalid(format!("no generic operation at {path}")))?;
    let mut store = state.records_mut();
    let records_of_kind = store.entry(operation.definition.clone()).or_default();
    for record in records {
        let key = match (key, record.get("slug").and_then(Value::as_str)) {
            (Some(key), _) => key.to_owned(),
            (None, Some(slug)) => slug.to_owned(),
            (None, None) => {
                return Err(ApiError::invalid(
                    "each record needs a `slug`, or give `key`",
                ));
            }
        };
        records_of_kind.insert(key, record);
    }
    Ok(records_of_kind.len())
}

/// `{record_key: record}`, plus the path parameters the reply echoes.
fn reply(operation: &Operation, key: &str, record: Value) -> Value {
    let mut reply = Map::new();
    for echoed in &operation.echoed {
        reply.insert(echoed.clone(), Value::String(key.to_owned()));
    }
    reply.insert(operation.record_key.clone(), record);
    Value::Object(reply)
}

fn slug_of(record: &Map<String, Value>) -> String {
    if let Some(Value::String(slug)) = record.get("slug")
        && !slug.is_empty()
    {
        return slug.clone();
    }
    let name = record
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("record");
    let slug: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    slug.trim_matches('-').to_owned()
}

fn not_found(operation: &Operation, key: &str) -> ApiError {
    let what = if operation.record_key.is_empty() {
        "record"
    } else {
        operation.record_key.as_str()
    };
    if key.is_empty() {
        ApiError::not_found(format!("{what} not found"))
    } else {
        ApiError::not_found(format!("{what} \"{key}\" not found"))
    }
}

fn dry_run(query: &[(String, String)]) -> bool {
    query
        .iter()
        .any(|(name, value)| name == "dry_run" && value == "true")
}

fn parse_query(operation: &Operation, query: &str) -> Result<Vec<(String, String)>, ApiError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if let Some((unknown, _)) = pairs
        .iter()
        .find(|(name, _)| !operation.query.contains(name))
    {
        return Err(ApiError::invalid(format!(
            "unknown query parameter \"{unknown}\""
        )));
    }
    Ok(pairs)
}

fn parse_body(operation: &Operation, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid(
            "the request body is empty; send a JSON object",
        ));
    }
    let body: Map<String, Value> = serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid(format!("invalid request body: {error}")))?;
    if let Some(unknown) = body.keys().find(|key| !operation.body_keys.contains(*key)) {
        return Err(ApiError::invalid(format!(
            "unknown field \"{unknown}\" in the request body"
        )));
    }
    Ok(body)
}
