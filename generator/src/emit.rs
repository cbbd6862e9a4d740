//! Emitters: the tool IR becomes files (Rust, JSON Schemas, README, Cargo manifests).
//!
//! Each concept has its own emitter returning token streams or text: [`types`] (records and
//! inputs), [`tools`] (plans, tool statics, the integration static), [`client`] (the typed
//! client), [`schema`] (JSON Schemas) and [`prose`] (every doc comment, from the templates).
//! [`assembly`] puts them together into the crate root and one module per resource, the same
//! for both [`Layout`]s; [`crate_files`] and [`single_file`] lay those pieces out as files.
//! Data flows one way: the layouts use [`assembly`], which uses the concept emitters.

mod assembly;
mod client;
mod crate_files;
mod prose;
pub(crate) mod rust;
pub(crate) mod schema;
mod single_file;
mod tools;
mod types;

use crate::error::Error;
use crate::files::GeneratedFiles;
use crate::ir;
use crate::templates::Templates;

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
pub(crate) fn emit(
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
                let contents = single_file::single_file(integration, templates, &path)?;
                files.insert(path, contents);
            }
        }
    }
    Ok(files)
}
