//! Assembly, shared by both layouts: what the crate root and each resource module hold, and
//! the parallel map that makes each of those pieces on its own.
//!
//! A resource module holds the record and its nested types, then per tool its input (and
//! custom output) types, plan and tool static; the root holds the `INTEGRATION` static and the
//! typed client. The layouts only decide how the pieces become files.

use proc_macro2::TokenStream;

use super::prose::RustDoc;
use super::tools::{self, ToolSchemas};
use super::{client, types};
use crate::error::Error;
use crate::ir;
use crate::model::Schema;
use crate::parallel;
use crate::templates::Templates;

/// The parts of an integration's Rust that are made (and formatted) independently.
pub(crate) enum Piece<'a> {
    /// The crate root: the `INTEGRATION` static and the client.
    Root,
    Resource(&'a ir::Resource),
}

/// Runs `job` on every piece of `integration`, in parallel; results come back in piece order:
/// the root (the largest piece, so threads stay evenly busy), then every resource.
pub(crate) fn each_piece<T: Send>(
    integration: &ir::Integration,
    job: impl Fn(&Piece<'_>) -> Result<T, Error> + Sync,
) -> Result<Vec<T>, Error> {
    let pieces: Vec<Piece<'_>> = std::iter::once(Piece::Root)
        .chain(integration.resources.iter().map(Piece::Resource))
        .collect();
    parallel::map(&pieces, job).into_iter().collect()
}

/// The crate-root items: the `INTEGRATION` static and the typed client.
pub(crate) fn root_items(
    integration: &ir::Integration,
    templates: &Templates,
) -> Result<Vec<TokenStream>, Error> {
    let mut items = vec![tools::integration_static(integration, templates)?];
    items.extend(client::client(integration, templates)?);
    Ok(items)
}

/// One resource module's Rust, and the JSON Schemas of its tools (in tool order), which the
/// tool statics embed and the crate layout also writes out.
pub(crate) struct ResourceRust {
    pub(crate) items: Vec<TokenStream>,
    pub(crate) schemas: Vec<ToolSchemas>,
}

/// The items of one resource module: the record and its nested types, then per tool its input
/// (and custom output) types, plan and tool static.
pub(crate) fn resource_rust(
    resource: &ir::Resource,
    templates: &Templates,
) -> Result<ResourceRust, Error> {
    let schemas = resource
        .tools
        .iter()
        .map(|tool| ToolSchemas::new(tool, &resource.record))
        .collect::<Result<Vec<_>, Error>>()?;
    let mut types = types::ModuleTypes::new(&resource.module, templates)?;
    types.reserve(&resource.record_type)?;
    for tool in &resource.tools {
        types.reserve(&tool.input_type)?;
        if let Some((name, _)) = custom_output(tool) {
            types.reserve(name)?;
        }
    }
    let record_doc = RustDoc::Record {
        resource: resource.singular.replace('_', " "),
    };
    let record_fields = types.record(&resource.record_type, &resource.record, &record_doc)?;
    let mut items = types.drain();
    for (tool, schemas) in resource.tools.iter().zip(&schemas) {
        types.input(tool, &record_fields)?;
        if let Some((name, schema)) = custom_output(tool) {
            types.record(name, schema, &RustDoc::Output { tool: &tool.name })?;
        }
        items.extend(types.drain());
        items.extend(tools::tool_items(tool, resource, schemas, templates)?);
    }
    Ok(ResourceRust { items, schemas })
}

/// The module doc of a resource: inner (`//!`) for its own file, outer (`///`) on an inline
/// `mod`.
pub(crate) fn module_doc<'a>(
    integration: &'a ir::Integration,
    resource: &'a ir::Resource,
) -> RustDoc<'a> {
    RustDoc::Module {
        display_name: &integration.display_name,
        resources: resource.name.replace('_', " "),
        description: &resource.description,
    }
}

fn custom_output(tool: &ir::Tool) -> Option<(&str, &Schema)> {
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
