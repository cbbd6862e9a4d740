//! mcpgen's generator: YAML integration docs in, typed Rust, JSON Schemas and docs out.
//!
//! Data flows one way through one module per stage:
//! `load` (YAML with source locations) -> `validate` (every problem at once; produces
//! [`model`]) -> `lower` (produces the tool IR in [`ir`]) -> `emit` (Rust, JSON Schemas,
//! templated prose) -> `files` (write only what changed, or check).

mod build_script;
pub mod builder;
pub mod diagnostics;
pub mod docs;
pub mod emit;
pub mod error;
pub mod files;
pub mod format_schema;
pub mod ir;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
mod parallel;
pub mod templates;
pub mod validate;

pub use builder::{Builder, Generation, compile_docs};
pub use emit::Layout;
pub use error::Error;
pub use files::{CheckReport, GeneratedFiles, WriteSummary};
