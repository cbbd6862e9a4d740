//! The published JSON Schemas of the doc format (`docs/schemas/*.schema.json`).
//!
//! Derived with schemars from the raw doc types (the crate's private `docs` module);
//! validation walks YAML against these same schemas, so what an editor flags and what the
//! generator rejects agree. A test keeps the checked-in files equal to [`format_schemas`]
//! (`MCPGEN_BLESS=1` rewrites them).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde_json::Value;

use crate::docs::{IntegrationDoc, ResourceDoc};

/// File name of the integration file's schema under `docs/schemas/`.
pub const INTEGRATION_SCHEMA_FILE: &str = "integration.schema.json";
/// File name of a resource file's schema under `docs/schemas/`.
pub const RESOURCE_SCHEMA_FILE: &str = "resource.schema.json";

/// The schema of `integration.yaml`, as JSON.
pub fn integration_schema() -> Value {
    schema_of::<IntegrationDoc>()
}

/// The schema of `resources/<name>.yaml`, as JSON.
pub fn resource_schema() -> Value {
    schema_of::<ResourceDoc>()
}

fn schema_of<T: JsonSchema>() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// File name -> pretty JSON (with a final newline) for every published schema.
pub fn format_schemas() -> BTreeMap<&'static str, String> {
    [
        (INTEGRATION_SCHEMA_FILE, integration_schema()),
        (RESOURCE_SCHEMA_FILE, resource_schema()),
    ]
    .into_iter()
    .map(|(name, schema)| {
        let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        (name, text + "\n")
    })
    .collect()
}
