//! The doc format as written: raw serde types of `integration.yaml` and `resources/*.yaml`.
//!
//! These types are the single source of the format's shape. The published JSON Schemas
//! (`docs/schemas/*.schema.json`, see [`crate::format_schema`]) are derived from them, and
//! validation checks a YAML tree against that same derived schema before deserializing into
//! them, so the schema an editor uses and the checks the generator runs cannot drift apart.
//! Meaning (names, placeholders, collisions) is checked later, in `validate`; the doc comments
//! here become the descriptions editors show.
//!
//! The importer (`crate::import`) writes docs by serializing these same types, so what it
//! writes has the format's keys, in the order the format reference shows them, and nothing
//! else. Absent optional keys are left out rather than written as `null`.

mod integration;
mod resource;
mod schema;

pub(crate) use integration::{
    AuthDoc, CredentialDoc, ErrorsDoc, IntegrationDoc, LocationDoc, PaginationDoc, RateLimitDoc,
};
pub(crate) use resource::{
    IdDoc, MethodDoc, MethodsDoc, NoneKeyword, PaginationOverride, ResourceDoc,
};
pub(crate) use schema::{SchemaDoc, SchemaTypeDoc};
