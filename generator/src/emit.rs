//! Emitters: the tool IR becomes files (Rust, JSON Schemas, README, Cargo manifests).
//!
//! Each concept has its own emitter returning token streams or text: [`types`] (records and
//! inputs), [`tools`] (plans, tool statics, the integration static), [`client`] (the typed
//! client), [`schema`] (JSON Schemas) and [`crate_files`] (manifests, README, and how the pieces
//! are assembled into files). Per-resource Rust is the same in both [`Layout`]s; only the
//! assembly differs.

mod client;
mod crate_files;
pub(crate) mod rust;
pub mod schema;
mod tools;
mod types;

use proc_macro2::TokenStream;

use crate::error::Error;
use crate::files::GeneratedFiles;
use crate::ir;
use crate::templates::Templates;

pub use rust::{BUILD_SCRIPT_HEADER_TEXT, HEADER_TEXT};

/// How generated Rust is laid out on disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// One `<integration>.rs` per integration, with inline `pub mod <resource> { ... }` and no
    /// inner attributes, for a build script's `OUT_DIR` and `include!`.
    #[default]
    SingleFile,
    /// A crate per integration (`<integration>/{Cargo.toml, README.md, src/, schemas/}`) plus
    /// the `mcp-server` binary crate: what `cargo run -p generator` writes to `generated/`.
    Crates,
}

/// Emits every file of `integrations` in `layout`.
pub fn emit(
    integrations: &[ir::Integration],
    templates: &Templates,
    layout: Layout,
) -> Result<GeneratedFiles, Error> {
    let mut files = GeneratedFiles::default();
    match layout {
        Layout::Crates => {
            for integration in integrations {
                crate_files::integration_crate(integration, templates, &mut files)?;
            }
            crate_files::server_crate(integrations, templates, &mut files)?;
        }
        Layout::SingleFile => {
            for integration in integrations {
                let path = format!("{}.rs", integration.name);
                let contents = crate_files::single_file(integration, &path)?;
                files.insert(path, contents);
            }
        }
    }
    Ok(files)
}

/// The items of one resource module: the record and its nested types, then per tool its input
/// (and custom output) types, plan and tool static. `schemas` are the tools' schemas, in order.
fn resource_items(
    resource: &ir::Resource,
    schemas: &[tools::ToolSchemas],
) -> Result<Vec<TokenStream>, Error> {
    let mut types = types::ModuleTypes::new(&resource.module);
    types.reserve(&resource.record_type)?;
    for tool in &resource.tools {
        types.reserve(&tool.input_type)?;
        if let Some((name, _)) = custom_output(tool) {
            types.reserve(name)?;
        }
    }
    let record_doc = format!(
        "A {} record, as the upstream returns it.",
        resource.singular.replace('_', " ")
    );
    let record_fields = types.record(&resource.record_type, &resource.record, &record_doc)?;
    let mut items = types.drain();
    for (tool, schemas) in resource.tools.iter().zip(schemas) {
        types.input(tool, &record_fields)?;
        if let Some((name, schema)) = custom_output(tool) {
            types.record(name, schema, &format!("What `{}` returns.", tool.name))?;
        }
        items.extend(types.drain());
        items.extend(tools::tool_items(tool, resource, schemas)?);
    }
    Ok(items)
}

fn custom_output(tool: &ir::Tool) -> Option<(&str, &crate::model::Schema)> {
    match &tool.output {
        ir::Output::Page {
            record: ir::OutputRecord::Custom { type_name, schema },
            ..
        }
        | ir::Output::Record(ir::OutputRecord::Custom { type_name, schema }) => {
            Some((type_name, schema))
        }
        _ => None,
    }
}

/// The schemas of each of `resource`'s tools, in order.
fn tool_schemas(resource: &ir::Resource) -> Result<Vec<tools::ToolSchemas>, Error> {
    resource
        .tools
        .iter()
        .map(|tool| tools::ToolSchemas::new(tool, &resource.record))
        .collect()
}

/// The crate-root items: the `INTEGRATION` static and the typed client.
fn root_items(integration: &ir::Integration) -> Result<Vec<TokenStream>, Error> {
    let mut items = vec![tools::integration_static(integration)?];
    items.extend(client::client(integration)?);
    Ok(items)
}
