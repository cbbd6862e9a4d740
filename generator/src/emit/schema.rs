//! JSON Schemas of tool inputs and outputs, in the subset every major MCP client accepts.
//!
//! Input: one flat 2020-12 object, self-contained (no `$ref`), no root combinators, enums as
//! strings, no `format` but `date-time`, no type arrays, `additionalProperties: false`, read-only
//! record fields left out. Output: what the typed output serializes to; it drops `enum` and
//! `required` from records because the runtime keeps values and omits fields the upstream did.

use serde_json::{Map, Value, json};

use crate::ir::{Output, OutputRecord, Tool};
use crate::model::{Schema, SchemaKind};

/// The dialect every emitted schema declares.
pub(crate) const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Which side of the tool a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Input,
    Output,
}

/// The tool's `inputSchema`; `record` is the resource's record schema (list and get tools of a
/// resource's records take `fields`, a selection of its top-level properties).
pub(crate) fn input_schema(tool: &Tool, record: &Schema) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for input in &tool.inputs {
        properties.insert(input.name.clone(), schema_json(&input.schema, Side::Input));
        if input.required {
            required.push(Value::String(input.name.clone()));
        }
    }
    if let Some(limit) = &tool.limit {
        properties.insert(
            "limit".into(),
            json!({"type": "integer", "minimum": 1, "description": limit.description}),
        );
    }
    if let Some(cursor) = &tool.next_cursor {
        properties.insert(
            "next_cursor".into(),
            json!({"type": "string", "description": cursor.description}),
        );
    }
    if let Some(fields) = selectable_fields(tool, record)
        && !properties.contains_key(FIELDS)
    {
        properties.insert(
            FIELDS.into(),
            json!({
                "type": "array",
                "items": {"type": "string", "enum": fields},
                "uniqueItems": true,
                "description": "Return only these top-level fields of each record (every field when left out): smaller answers for big records.",
            }),
        );
    }
    let mut root = Map::new();
    root.insert("$schema".into(), DIALECT.into());
    root.insert("type".into(), "object".into());
    root.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        root.insert("required".into(), Value::Array(required));
    }
    root.insert("additionalProperties".into(), false.into());
    Value::Object(root)
}

/// The input a list or get tool selects record fields with; the server applies it
/// (`server/src/fields.rs`), so the typed input does not carry it.
pub(crate) const FIELDS: &str = "fields";

/// The top-level properties of the resource's record, for a list or get tool that returns
/// those records; `None` for other tools and for records that are not objects with properties.
fn selectable_fields(tool: &Tool, record: &Schema) -> Option<Vec<String>> {
    let returns_records = matches!(
        &tool.output,
        Output::Page {
            record: OutputRecord::Resource,
            ..
        } | Output::Record(OutputRecord::Resource)
    );
    let reads = matches!(
        tool.method,
        crate::model::MethodKind::List | crate::model::MethodKind::Get
    );
    match &record.kind {
        SchemaKind::Object(object) if returns_records && reads && object.properties.len() > 1 => {
            Some(object.properties.keys().cloned().collect())
        }
        _ => None,
    }
}

/// The tool's `outputSchema`; `record` is the resource's record schema.
pub(crate) fn output_schema(tool: &Tool, record: &Schema) -> Value {
    let record_json = |output: &OutputRecord| match output {
        OutputRecord::Resource => schema_json(record, Side::Output),
        OutputRecord::Custom { schema, .. } => schema_json(schema, Side::Output),
    };
    let body = match &tool.output {
        Output::Page {
            record,
            next_cursor_description,
        } => json!({
            "type": "object",
            "properties": {
                "result": {"type": "array", "items": record_json(record)},
                // A string, or null on the last page. No `type`: the exact spelling would be a
                // type array or a nullable `anyOf`, which several clients reject.
                "next_cursor": {"description": next_cursor_description},
            },
            "required": ["result"],
        }),
        Output::Record(record) => record_json(record),
        Output::Raw { description } => json!({
            "type": "object",
            "description": description,
        }),
    };
    with_dialect(body)
}

fn with_dialect(schema: Value) -> Value {
    let mut root = Map::new();
    root.insert("$schema".into(), DIALECT.into());
    if let Value::Object(fields) = schema {
        root.extend(fields);
    }
    Value::Object(root)
}

fn schema_json(schema: &Schema, side: Side) -> Value {
    let mut out = Map::new();
    match &schema.kind {
        SchemaKind::String {
            enum_values,
            date_time,
        } => {
            out.insert("type".into(), "string".into());
            if *date_time {
                out.insert("format".into(), "date-time".into());
            }
            if side == Side::Input && !enum_values.is_empty() {
                out.insert(
                    "enum".into(),
                    enum_values.iter().cloned().map(Value::String).collect(),
                );
            }
        }
        SchemaKind::Integer => {
            out.insert("type".into(), "integer".into());
        }
        SchemaKind::Number => {
            out.insert("type".into(), "number".into());
        }
        SchemaKind::Boolean => {
            out.insert("type".into(), "boolean".into());
        }
        SchemaKind::Array(items) => {
            out.insert("type".into(), "array".into());
            out.insert("items".into(), schema_json(items, side));
        }
        SchemaKind::Object(object) => {
            out.insert("type".into(), "object".into());
            let mut properties = Map::new();
            for (name, property) in &object.properties {
                if side == Side::Input && property.read_only {
                    continue;
                }
                properties.insert(name.clone(), schema_json(property, side));
            }
            let required: Vec<Value> = object
                .required
                .iter()
                .filter(|name| properties.contains_key(*name))
                .map(|name| Value::String(name.clone()))
                .collect();
            if !properties.is_empty() {
                out.insert("properties".into(), Value::Object(properties));
            }
            if side == Side::Input && !required.is_empty() {
                out.insert("required".into(), Value::Array(required));
            }
        }
        // No `type`: any JSON value. A type array would be the obvious spelling, and is the one
        // several clients reject.
        SchemaKind::Any => {}
    }
    if let Some(description) = &schema.description {
        out.insert("description".into(), description.as_str().into());
    }
    if side == Side::Output && schema.read_only {
        out.insert("readOnly".into(), true.into());
    }
    if !schema.examples.is_empty() {
        out.insert("examples".into(), Value::Array(schema.examples.clone()));
    }
    Value::Object(out)
}
