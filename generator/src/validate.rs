//! Integration docs to the validated [`crate::model`], reporting every problem at once.
//!
//! Two passes per file. The *shape* pass walks the YAML tree against the format's derived JSON
//! Schema (unknown keys, missing keys, wrong types, unknown kinds), then the file is
//! deserialized into the raw [`docs`](crate::docs) types. The *meaning* pass checks what a
//! schema cannot: names, placeholders, path/field agreement, argument collisions, tool names,
//! the JSON Schema subset, and the checks that span files. A file whose shape is broken skips
//! its meaning pass (to avoid errors that only follow from the first), but every other file
//! is still checked, so one run reports everything that can be known.

mod args;
mod checks;
mod integration;
mod keywords;
mod method;
mod pagination;
mod resource;
mod rust_names;
mod schema;
mod shape;
mod source;
mod suggest;
mod template;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::format_schema;
use crate::load;
use crate::model;

/// Which integrations and resources to generate. The default selects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    /// Integration (folder) names; `None` means all. Unselected folders are not read at all.
    pub(crate) integrations: Option<BTreeSet<String>>,
    /// Resource names; `None` means all. Selected integrations are still validated whole;
    /// this filters the result, and integrations left without resources are dropped.
    pub(crate) resources: Option<BTreeSet<String>>,
}

/// The docs, validated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Validated {
    /// Sorted by name.
    pub(crate) integrations: Vec<model::Integration>,
    /// Every file and directory read, for `cargo:rerun-if-changed`.
    pub(crate) inputs: Vec<PathBuf>,
}

/// Loads and validates `docs_dir` (the folder holding one folder per integration).
/// Diagnostics name files as `docs_dir.join(...)` and are sorted by file, line and column.
pub(crate) fn load_and_validate(
    docs_dir: &Path,
    selection: &Selection,
) -> Result<Validated, Diagnostics> {
    let mut out = Vec::new();
    let loaded = load::load(docs_dir, selection.integrations.as_ref(), &mut out);
    validate_loaded(docs_dir, loaded, selection, out)
}

/// Validates one integration whose files are texts in memory (see [`load::from_texts`]).
pub(crate) fn validate_texts(
    dir: &Path,
    integration: &str,
    resources: &[(&str, &str)],
) -> Result<Validated, Diagnostics> {
    let mut out = Vec::new();
    let loaded = load::from_texts(dir, integration, resources, &mut out);
    let docs_dir = dir.parent().unwrap_or(dir);
    validate_loaded(docs_dir, loaded, &Selection::default(), out)
}

/// Validation proper, after loading: `out` holds the loader's diagnostics.
fn validate_loaded(
    docs_dir: &Path,
    loaded: load::Loaded,
    selection: &Selection,
    mut out: Vec<Diagnostic>,
) -> Result<Validated, Diagnostics> {
    for name in selection.integrations.iter().flatten() {
        if !loaded
            .integrations
            .iter()
            .any(|folder| &folder.dir_name == name)
        {
            out.push(Diagnostic {
                file: docs_dir.join(name),
                line: 0,
                column: 0,
                message: format!("selected integration `{name}` does not exist"),
                hint: Some(format!(
                    "each integration is a folder under `{}`",
                    docs_dir.display()
                )),
            });
        }
    }

    let schemas = integration::Schemas {
        integration: format_schema::integration_schema(),
        resource: format_schema::resource_schema(),
    };
    let mut integrations: Vec<model::Integration> = loaded
        .integrations
        .iter()
        .filter_map(|folder| integration::validate_folder(folder, &schemas, &mut out))
        .collect();

    if let Some(wanted) = &selection.resources {
        for name in wanted {
            let exists = loaded
                .integrations
                .iter()
                .any(|folder| folder.resource_stems.contains(name));
            if !exists {
                out.push(Diagnostic {
                    file: docs_dir.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: format!(
                        "selected resource `{name}` does not exist in the selected integrations"
                    ),
                    hint: Some(
                        "resources are named after their files: `resources/<name>.yaml`".to_owned(),
                    ),
                });
            }
        }
        for integration in &mut integrations {
            integration
                .resources
                .retain(|resource| wanted.contains(&resource.name));
        }
        integrations.retain(|integration| !integration.resources.is_empty());
    }

    if !out.is_empty() {
        out.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        return Err(Diagnostics(out));
    }
    integrations.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Validated {
        integrations,
        inputs: loaded.inputs,
    })
}
