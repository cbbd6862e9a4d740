//! mcpgen's generator: YAML integration docs in, typed Rust, JSON Schemas and docs out.
//!
//! Data flows one way through one module per stage:
//! `load` (YAML with source locations) -> `validate` (every problem at once; produces the
//! model) -> `lower` (produces the tool IR) -> `emit` (Rust, JSON Schemas, templated prose) ->
//! `files` (write only what changed, or check). The model and the IR are internal: the public
//! surface is [`Builder`], what it returns ([`Generation`], [`GeneratedFiles`]) and what can go
//! wrong ([`Error`], [`Diagnostics`]), plus the doc format's own JSON Schemas
//! ([`format_schema`]).
//!
//! [`Importer`] is a front-end to the same doc format: it turns a Swagger 2.0 or OpenAPI 3.x
//! spec into integration docs, which this pipeline then reads like hand-written ones.

#![warn(missing_docs)]

mod build_script;
mod builder;
mod diagnostics;
mod docs;
mod emit;
mod error;
mod files;
pub mod format_schema;
mod import;
mod ir;
mod load;
mod lower;
mod model;
mod naming;
mod parallel;
mod templates;
mod validate;

pub use builder::{Builder, Generation, compile_docs};
pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::Layout;
pub use error::Error;
pub use files::{CheckReport, GeneratedFiles, WriteSummary};
pub use import::{ImportReport, Imported, Importer};
