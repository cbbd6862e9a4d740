//! A doc schema (the JSON Schema subset) to [`crate::model::Schema`], with the checks that need more
//! than one keyword at a time: `items` only on arrays, `required` naming real properties, ...

use crate::diagnostics::Diagnostic;
use crate::docs::{SchemaDoc, SchemaTypeDoc};
use crate::model::{ObjectSchema, Schema, SchemaKind};

use super::source::Source;
use super::suggest::did_you_mean;

/// A key path inside a file: `["methods", "list", "query_schema"]`.
pub(crate) type KeyPath = Vec<String>;

/// `base` followed by `more`.
pub(crate) fn join(base: &[String], more: &[&str]) -> KeyPath {
    base.iter()
        .cloned()
        .chain(more.iter().map(|s| (*s).to_owned()))
        .collect()
}

/// Converts `doc` (found at `path` in `src`), reporting every problem; `None` if there was one.
pub(crate) fn convert(
    doc: &SchemaDoc,
    path: &[String],
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Schema> {
    let before = out.len();
    let kind = kind(doc, path, src, out);
    let schema = Schema {
        description: doc.description.clone(),
        kind: kind?,
        read_only: doc.read_only.unwrap_or(false),
        examples: doc.examples.clone().unwrap_or_default(),
    };
    (out.len() == before).then_some(schema)
}

/// Converts a schema that must be `type: object` (query, path and body schemas, records).
/// An object without properties has no fields (rather than accepting anything).
pub(crate) fn convert_object(
    doc: &SchemaDoc,
    path: &[String],
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Schema> {
    if doc.type_ != Some(SchemaTypeDoc::Object) {
        let (pos, found) = match doc.type_ {
            Some(other) => (
                src.value(&join(path, &["type"])),
                format!("`type: {}`", type_name(other)),
            ),
            None => (src.key(path), "no `type`".to_owned()),
        };
        let name = path.last().map(String::as_str).unwrap_or("schema");
        out.push(src.error(
            pos,
            format!("`{name}` must be an object schema, found {found}"),
            Some("use `type: object` with `properties`".to_owned()),
        ));
        return None;
    }
    let mut schema = convert(doc, path, src, out)?;
    if schema.kind == SchemaKind::Any {
        schema.kind = SchemaKind::Object(ObjectSchema::default());
    }
    Some(schema)
}

fn kind(
    doc: &SchemaDoc,
    path: &[String],
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<SchemaKind> {
    let Some(ty) = doc.type_ else {
        return untyped(doc, path, src, out);
    };
    let misplaced = |keyword: &str, present: bool, out: &mut Vec<Diagnostic>| {
        if present {
            let applies = match keyword {
                "items" => "arrays",
                "enum" => "strings",
                _ => "objects",
            };
            out.push(src.error(
                src.key(&join(path, &[keyword])),
                format!(
                    "`{keyword}` only applies to {applies}, and this schema has `type: {}`",
                    type_name(ty)
                ),
                Some(format!("remove `{keyword}`, or change `type`")),
            ));
        }
    };
    let is = |t: SchemaTypeDoc| ty == t;
    misplaced(
        "items",
        doc.items.is_some() && !is(SchemaTypeDoc::Array),
        out,
    );
    misplaced(
        "enum",
        doc.enum_.is_some() && !is(SchemaTypeDoc::String),
        out,
    );
    misplaced(
        "properties",
        doc.properties.is_some() && !is(SchemaTypeDoc::Object),
        out,
    );
    misplaced(
        "required",
        doc.required.is_some() && !is(SchemaTypeDoc::Object),
        out,
    );
    misplaced(
        "additionalProperties",
        doc.additional_properties.is_some() && !is(SchemaTypeDoc::Object),
        out,
    );
    match ty {
        SchemaTypeDoc::String => {
            let enum_values = doc.enum_.clone().unwrap_or_default();
            if doc.enum_.as_ref().is_some_and(Vec::is_empty) {
                out.push(src.error(
                    src.value(&join(path, &["enum"])),
                    "`enum` is empty",
                    Some("list the allowed values, or remove `enum`".to_owned()),
                ));
            }
            // Only `date-time` changes the Rust type; other formats are documentation at best.
            let date_time = doc.format.as_deref() == Some("date-time");
            Some(SchemaKind::String {
                enum_values,
                date_time,
            })
        }
        SchemaTypeDoc::Integer => Some(SchemaKind::Integer),
        SchemaTypeDoc::Number => Some(SchemaKind::Number),
        SchemaTypeDoc::Boolean => Some(SchemaKind::Boolean),
        SchemaTypeDoc::Array => {
            let Some(items) = &doc.items else {
                out.push(src.error(
                    src.key(path),
                    "array schema without `items`",
                    Some("say what every item is: `items: {type: string}`".to_owned()),
                ));
                return None;
            };
            let items = convert(items, &join(path, &["items"]), src, out)?;
            Some(SchemaKind::Array(Box::new(items)))
        }
        SchemaTypeDoc::Object => object(doc, path, src, out),
    }
}

fn untyped(
    doc: &SchemaDoc,
    path: &[String],
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<SchemaKind> {
    let implied = if doc.properties.is_some()
        || doc.required.is_some()
        || doc.additional_properties.is_some()
    {
        Some("object")
    } else if doc.items.is_some() {
        Some("array")
    } else if doc.enum_.is_some() || doc.format.is_some() {
        Some("string")
    } else {
        None
    };
    match implied {
        None => Some(SchemaKind::Any),
        Some(implied) => {
            out.push(src.error(
                src.key(path),
                "schema without `type`",
                Some(format!(
                    "add `type: {implied}`; only `{{}}` (no keywords) means any JSON value"
                )),
            ));
            None
        }
    }
}

fn object(
    doc: &SchemaDoc,
    path: &[String],
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<SchemaKind> {
    let mut object = ObjectSchema::default();
    let mut sound = true;
    for (name, property) in doc.properties.iter().flatten() {
        match convert(property, &join(path, &["properties", name]), src, out) {
            Some(schema) => {
                object.properties.insert(name.clone(), schema);
            }
            None => sound = false,
        }
    }
    for (i, name) in doc.required.iter().flatten().enumerate() {
        let known = doc
            .properties
            .as_ref()
            .is_some_and(|p| p.contains_key(name));
        if !known {
            let hint = did_you_mean(
                name,
                doc.properties.iter().flatten().map(|(k, _)| k.as_str()),
            )
            .or_else(|| Some("list only names declared under `properties`".to_owned()));
            out.push(src.error(
                src.value(&join(path, &["required", &i.to_string()])),
                format!("required property `{name}` is not declared in `properties`"),
                hint,
            ));
            sound = false;
        } else if !object.required.contains(name) {
            object.required.push(name.clone());
        }
    }
    if !sound {
        return None;
    }
    if doc.properties.is_none() {
        return Some(SchemaKind::Any);
    }
    Some(SchemaKind::Object(object))
}

fn type_name(ty: SchemaTypeDoc) -> &'static str {
    match ty {
        SchemaTypeDoc::String => "string",
        SchemaTypeDoc::Integer => "integer",
        SchemaTypeDoc::Number => "number",
        SchemaTypeDoc::Boolean => "boolean",
        SchemaTypeDoc::Array => "array",
        SchemaTypeDoc::Object => "object",
    }
}
