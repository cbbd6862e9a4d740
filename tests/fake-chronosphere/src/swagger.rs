//! Every operation of the Config API swagger (`tests/data/chronosphere/configv1.swagger.json`)
//! read into a route table: which path and verb, what kind of operation, which record it acts
//! on, and the JSON keys its requests and replies use. The fake serves every operation but the
//! teams ones (hand-written in `api.rs`) from this table, so its shapes are the swagger's own
//! rather than a second reading of our docs.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// The swagger, compiled in.
const SWAGGER: &str = include_str!("../../data/chronosphere/configv1.swagger.json");

/// What an operation does to its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    List,
    Create,
    Read,
    Update,
    Delete,
}

/// One operation of the swagger.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub(crate) verb: &'static str,
    /// The path as the swagger writes it (`/api/v1/config/monitors/{slug}`), which is also
    /// axum's route syntax.
    pub(crate) path: String,
    pub(crate) kind: Kind,
    /// The record's definition (`configv1Monitor`): records are stored by it, so a list and the
    /// item operations of the same definition see the same records.
    pub(crate) definition: String,
    /// The record's key in bodies and replies (`monitor`); a list's key (`monitors`).
    pub(crate) record_key: String,
    /// The path parameter that names the record (`slug`, or a parent's `service_slug`); `None`
    /// for a singleton and for a collection's create.
    pub(crate) key_param: Option<String>,
    /// A create on a collection: the record's own `slug` (or one made from its name) keys it.
    pub(crate) keyed_by_record: bool,
    /// Query parameters the operation declares.
    pub(crate) query: BTreeSet<String>,
    /// Top-level keys its body may carry (`monitor`, `dry_run`, `create_if_missing`).
    pub(crate) body_keys: BTreeSet<String>,
    /// The record definition's properties: a record with any other key is refused.
    pub(crate) record_fields: BTreeSet<String>,
    /// Other string properties of the reply that echo a path parameter (`service_slug`).
    pub(crate) echoed: Vec<String>,
}

/// The prefix of the hand-written teams operations (`api.rs`).
pub(crate) const TEAMS: &str = "/api/v1/config/teams";

/// Every operation the generic store serves (all but the teams ones), read once.
pub(crate) fn table() -> &'static [Operation] {
    static TABLE: std::sync::OnceLock<Vec<Operation>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| operations(TEAMS))
}

/// Every operation of the swagger except those on `skip_prefix` paths.
pub(crate) fn operations(skip_prefix: &str) -> Vec<Operation> {
    // The file is ours and compiled in: a parse failure is a broken build, caught by tests.
    let spec: Value = serde_json::from_str(SWAGGER).unwrap_or(Value::Null);
    let empty = Map::new();
    let definitions = spec["definitions"].as_object().unwrap_or(&empty);
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap_or(&empty) {
        if path.starts_with(skip_prefix) {
            continue;
        }
        let item = item.as_object().unwrap_or(&empty);
        // A delete names no record; its siblings on the same path do.
        let sibling_definition = item
            .iter()
            .filter(|(verb, _)| *verb != "delete")
            .filter_map(|(_, op)| reply_record(op, definitions))
            .map(|(_, definition, _)| definition)
            .next();
        let collection = item
            .values()
            .any(|op| reply_record(op, definitions).is_some_and(|(_, _, list)| list));
        for (verb, op) in item {
            let verb: &'static str = match verb.as_str() {
                "get" => "GET",
                "post" => "POST",
                "put" => "PUT",
                "delete" => "DELETE",
                "patch" => "PATCH",
                _ => continue,
            };
            if let Some(mut operation) =
                operation(verb, path, op, definitions, sibling_definition.as_deref())
            {
                operation.keyed_by_record = collection && operation.kind == Kind::Create;
                operations.push(operation);
            }
        }
    }
    operations
}

fn operation(
    verb: &'static str,
    path: &str,
    op: &Value,
    definitions: &Map<String, Value>,
    sibling_definition: Option<&str>,
) -> Option<Operation> {
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let named = |location: &str| -> Vec<String> {
        params
            .iter()
            .filter(|param| param["in"] == location)
            .filter_map(|param| param["name"].as_str().map(str::to_owned))
            .collect()
    };
    let key_param = named("path").last().cloned();
    let body_keys: BTreeSet<String> = params
        .iter()
        .find(|param| param["in"] == "body")
        .and_then(|param| resolve(&param["schema"], definitions))
        .and_then(|schema| schema["properties"].as_object())
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    let (kind, record_key, definition, echoed) = match (verb, reply_record(op, definitions)) {
        // A delete acts on its siblings' record, whatever it replies (buckets list `changes`).
        ("DELETE", _) => (
            Kind::Delete,
            String::new(),
            sibling_definition?.to_owned(),
            Vec::new(),
        ),
        ("GET", Some((key, definition, true))) => (Kind::List, key, definition, Vec::new()),
        (_, Some((key, definition, false))) => {
            let kind = match verb {
                "GET" => Kind::Read,
                "POST" => Kind::Create,
                _ => Kind::Update,
            };
            let echoed = echoed_params(op, definitions, &key);
            (kind, key, definition, echoed)
        }
        _ => return None,
    };
    let record_fields = definitions
        .get(&definition)
        .and_then(|schema| schema["properties"].as_object())
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    Some(Operation {
        verb,
        path: path.to_owned(),
        kind,
        definition,
        record_key,
        key_param,
        keyed_by_record: false,
        query: named("query").into_iter().collect(),
        body_keys,
        record_fields,
        echoed,
    })
}

/// The record property of a 200 reply: its key, its definition, and whether it is a list.
fn reply_record(op: &Value, definitions: &Map<String, Value>) -> Option<(String, String, bool)> {
    let reply = resolve(&op["responses"]["200"]["schema"], definitions)?;
    let properties = reply["properties"].as_object()?;
    // A list reply is an array of records beside `page`; a record reply is one record.
    let list = properties.iter().find_map(|(key, schema)| {
        let item = ref_name(&schema["items"])?;
        Some((key.clone(), item.to_owned(), true))
    });
    list.or_else(|| {
        properties.iter().find_map(|(key, schema)| {
            let definition = ref_name(schema).filter(|_| key != "page")?;
            Some((key.clone(), definition.to_owned(), false))
        })
    })
}

/// String properties of a record reply other than the record (`service_slug`): they echo a
/// path parameter of the same name.
fn echoed_params(op: &Value, definitions: &Map<String, Value>, record_key: &str) -> Vec<String> {
    let Some(reply) = resolve(&op["responses"]["200"]["schema"], definitions) else {
        return Vec::new();
    };
    reply["properties"]
        .as_object()
        .map(|properties| {
            properties
                .iter()
                .filter(|(key, schema)| *key != record_key && schema["type"] == "string")
                .map(|(key, _)| key.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema["$ref"].as_str()?.strip_prefix("#/definitions/")
}

fn resolve<'a>(schema: &'a Value, definitions: &'a Map<String, Value>) -> Option<&'a Value> {
    match ref_name(schema) {
        Some(name) => definitions.get(name),
        None => (!schema.is_null()).then_some(schema),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn find<'a>(operations: &'a [Operation], verb: &str, path: &str) -> &'a Operation {
        operations
            .iter()
            .find(|op| op.verb == verb && op.path == path)
            .unwrap_or_else(|| panic!("{verb} {path}"))
    }

    #[test]
    fn every_operation_but_the_teams_ones_is_read() {
        let operations = operations("/api/v1/config/teams");
        assert_eq!(operations.len(), 183 - 5);
    }

    #[test]
    fn kinds_keys_and_shapes_come_from_the_swagger() {
        let operations = operations("/api/v1/config/teams");
        let list = find(&operations, "GET", "/api/v1/config/monitors");
        assert_eq!(
            (list.kind, list.record_key.as_str()),
            (Kind::List, "monitors")
        );
        assert!(list.query.contains("slugs") && list.query.contains("page.token"));
        let create = find(&operations, "POST", "/api/v1/config/monitors");
        assert_eq!(
            (create.kind, create.record_key.as_str()),
            (Kind::Create, "monitor")
        );
        assert_eq!(
            create.body_keys,
            ["dry_run", "monitor"].map(String::from).into()
        );
        assert!(create.record_fields.contains("series_conditions"));
        let delete = find(&operations, "DELETE", "/api/v1/config/monitors/{slug}");
        assert_eq!(
            (
                delete.kind,
                delete.definition.as_str(),
                delete.key_param.as_deref()
            ),
            (Kind::Delete, "configv1Monitor", Some("slug"))
        );
        let singleton = find(&operations, "PUT", "/api/v1/config/resource-pools");
        assert_eq!(
            (singleton.kind, singleton.key_param.as_deref()),
            (Kind::Update, None)
        );
        let nested = find(
            &operations,
            "GET",
            "/api/v1/config/services/{service_slug}/attributes",
        );
        assert_eq!(nested.key_param.as_deref(), Some("service_slug"));
        assert_eq!(nested.echoed, ["service_slug"]);
        let attributes = find(&operations, "GET", "/api/v1/config/service-attributes");
        assert_eq!(attributes.definition, nested.definition);
        let bucket = find(&operations, "DELETE", "/api/v1/config/buckets/{slug}");
        assert_eq!(bucket.definition, "configv1Bucket");
    }
}
