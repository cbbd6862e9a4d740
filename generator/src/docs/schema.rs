//! The JSON Schema subset docs may use for records, parameters and bodies.
//!
//! Only what maps to Rust types and what every major MCP client accepts: no `$ref`, no
//! combinators, no type arrays, string-only enums. Keywords outside the subset are rejected
//! (with a reason for the well-known ones) rather than silently ignored.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A JSON Schema in the subset mcpgen maps to Rust types: `type` (string, integer, number,
/// boolean, array, object), `properties`, `required`, `items`, string `enum`, `format`
/// (`date-time` kept), `description`, `readOnly`, `examples`, `default`.
/// `{}` (or an object without properties) accepts any JSON value.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Schema")]
pub(crate) struct SchemaDoc {
    /// One type name; type arrays such as `[string, "null"]` are not supported.
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) type_: Option<SchemaTypeDoc>,
    /// Shown to the model in tool schemas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    /// Allowed string values.
    #[serde(rename = "enum")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) enum_: Option<Vec<String>>,
    /// A string format; only `date-time` is kept, others are dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) format: Option<String>,
    /// The schema of every item of an array (one schema; tuples are not supported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) items: Option<Box<SchemaDoc>>,
    /// The properties of an object, by upstream name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) properties: Option<BTreeMap<String, SchemaDoc>>,
    /// Property names that must be present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) required: Option<Vec<String>>,
    /// Whether an object may carry properties not listed (documentation only).
    #[serde(rename = "additionalProperties")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) additional_properties: Option<bool>,
    /// Output-only: left out of create and update inputs.
    #[serde(rename = "readOnly")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) read_only: Option<bool>,
    /// Example values, shown in schemas and docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) examples: Option<Vec<serde_json::Value>>,
    /// Accepted for compatibility with copied schemas; not used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) default: Option<serde_json::Value>,
}

/// A JSON Schema type name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "SchemaType")]
pub(crate) enum SchemaTypeDoc {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}
