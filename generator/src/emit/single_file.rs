//! The single-file layout: one `<integration>.rs` for a build script's `OUT_DIR`, to be
//! `include!`d, with every resource as an inline module and no inner attributes.

use quote::quote;

use super::assembly::{self, Piece};
use super::prose;
use super::rust::{BUILD_SCRIPT_HEADER_TEXT, format_items, ident};
use crate::error::Error;
use crate::ir;
use crate::templates::Templates;

/// One file holding a whole integration, resources as inline modules. The root items and each
/// resource module are formatted apart, in parallel.
pub(crate) fn single_file(
    integration: &ir::Integration,
    templates: &Templates,
    path: &str,
) -> Result<String, Error> {
    let pieces = assembly::each_piece(integration, |piece| {
        let items = match piece {
            Piece::Root => assembly::root_items(integration, templates)?,
            Piece::Resource(resource) => {
                let module = ident(&resource.module)?;
                let doc = assembly::module_doc(integration, resource);
                let docs = prose::outer(templates, &doc)?;
                let items = assembly::resource_rust(resource, templates)?.items;
                vec![quote! { #docs pub mod #module { #(#items)* } }]
            }
        };
        format_items(path, &items)
    })?;
    let mut out = format!("// {BUILD_SCRIPT_HEADER_TEXT}\n");
    for piece in pieces {
        out.push_str(&piece);
    }
    Ok(out)
}
