//! The doc format as written: raw serde types of `integration.yaml` and `resources/*.yaml`.
//!
//! These types are the single source of the format's shape. The published JSON Schemas
//! (`docs/schemas/*.schema.json`, see [`crate::format_schema`]) are derived from them, and
//! validation checks a YAML tree against that same derived schema before deserializing into
//! them, so the schema an editor uses and the checks the generator runs cannot drift apart.
//! Meaning (names, placeholders, collisions) is checked later, in `validate`; the doc comments
//! here become the descriptions editors show.

mod integration;
mod resource;
mod schema;

pub(crate) use integration::{AuthDoc, IntegrationDoc, LocationDoc, PaginationDoc, RateLimitDoc};
pub(crate) use resource::{IdDoc, MethodDoc, PaginationOverride, ResourceDoc};
pub(crate) use schema::{SchemaDoc, SchemaTypeDoc};
