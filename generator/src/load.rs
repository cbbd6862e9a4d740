//! Finding and parsing the doc files: `<docs_dir>/<integration>/integration.yaml` and
//! `<docs_dir>/<integration>/resources/*.yaml`, in sorted order.
//!
//! Loading never gives up early: a folder it cannot read or a file that is not YAML becomes a
//! diagnostic, and everything else is still loaded so that validation can report the rest.
//! Every path read (files and folders) is recorded for `cargo:rerun-if-changed`.

pub(crate) mod yaml;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::parallel;

/// A parsed doc file.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// `docs_dir.join(...)`: the path shown in diagnostics.
    pub(crate) path: PathBuf,
    /// The file name without its extension (`teams` for `resources/teams.yaml`).
    pub(crate) stem: String,
    pub(crate) tree: yaml::Node,
}

/// The files of one integration folder.
#[derive(Debug, Clone)]
pub(crate) struct IntegrationFiles {
    /// The folder name, which must equal the integration's `name`.
    pub(crate) dir_name: String,
    /// `None` when the file is missing or is not valid YAML (already reported).
    pub(crate) integration: Option<SourceFile>,
    /// Sorted by file name; files that are not valid YAML are left out (already reported).
    pub(crate) resources: Vec<SourceFile>,
    /// Every resource file name stem found, parsed or not (so `tool_tags` can name a resource
    /// whose file has a syntax error without a second, misleading error).
    pub(crate) resource_stems: BTreeSet<String>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Loaded {
    pub(crate) integrations: Vec<IntegrationFiles>,
    /// Every file and folder read.
    pub(crate) inputs: Vec<PathBuf>,
}

const INTEGRATION_FILES: [&str; 2] = ["integration.yaml", "integration.yml"];

/// Loads every integration folder under `docs_dir` (or only the named ones).
pub(crate) fn load(
    docs_dir: &Path,
    only: Option<&BTreeSet<String>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Loaded {
    let mut loaded = Loaded {
        inputs: vec![docs_dir.to_path_buf()],
        ..Loaded::default()
    };
    let Some(entries) = sorted_entries(docs_dir, diagnostics) else {
        return loaded;
    };
    for (name, path) in entries {
        if name.starts_with('.') || !path.is_dir() {
            continue;
        }
        if only.is_some_and(|only| !only.contains(&name)) {
            continue;
        }
        let folder = load_integration(&path, name, &mut loaded.inputs, diagnostics);
        loaded.integrations.push(folder);
    }
    if loaded.integrations.is_empty() && only.is_none() {
        diagnostics.push(whole_file(
            docs_dir,
            "no integrations found".to_owned(),
            Some(
                "each integration is a folder holding `integration.yaml` and `resources/*.yaml`"
                    .to_owned(),
            ),
        ));
    }
    loaded
}

fn load_integration(
    dir: &Path,
    dir_name: String,
    inputs: &mut Vec<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) -> IntegrationFiles {
    inputs.push(dir.to_path_buf());
    let mut folder = IntegrationFiles {
        dir_name,
        integration: None,
        resources: Vec::new(),
        resource_stems: BTreeSet::new(),
    };

    match INTEGRATION_FILES.iter().map(|name| dir.join(name)).find(|path| path.is_file()) {
        Some(path) => {
            inputs.push(path.clone());
            folder.integration = read_file(&path, "integration".to_owned(), diagnostics);
        }
        None => diagnostics.push(whole_file(
            dir,
            "integration folder has no `integration.yaml`".to_owned(),
            Some("add `integration.yaml` (see docs/integration-docs.md), or move this folder out of the docs folder".to_owned()),
        )),
    }

    let resources_dir = dir.join("resources");
    if !resources_dir.is_dir() {
        diagnostics.push(whole_file(
            dir,
            "integration folder has no `resources` folder".to_owned(),
            Some("add one file per resource: `resources/<resource>.yaml`".to_owned()),
        ));
        return folder;
    }
    inputs.push(resources_dir.clone());
    let mut found = Vec::new();
    for (name, path) in sorted_entries(&resources_dir, diagnostics).unwrap_or_default() {
        let Some(stem) = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        else {
            continue;
        };
        if name.starts_with('.') || !path.is_file() {
            continue;
        }
        inputs.push(path.clone());
        folder.resource_stems.insert(stem.to_owned());
        found.push((path, stem.to_owned()));
    }
    // Files are read and parsed in parallel; results and diagnostics are kept in name order.
    let read = parallel::map(&found, |(path, stem)| {
        let mut diagnostics = Vec::new();
        let file = read_file(path, stem.clone(), &mut diagnostics);
        (file, diagnostics)
    });
    for (file, file_diagnostics) in read {
        diagnostics.extend(file_diagnostics);
        folder.resources.extend(file);
    }
    if folder.resource_stems.is_empty() {
        diagnostics.push(whole_file(
            &resources_dir,
            "no resource files".to_owned(),
            Some("add one file per resource: `resources/<resource>.yaml`".to_owned()),
        ));
    }
    folder
}

fn read_file(path: &Path, stem: String, diagnostics: &mut Vec<Diagnostic>) -> Option<SourceFile> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            diagnostics.push(whole_file(path, format!("cannot read file: {error}"), None));
            return None;
        }
    };
    parse_text(path, stem, &text, diagnostics)
}

/// One integration folder from texts held in memory: `integration` is its `integration.yaml`,
/// `resources` pairs each resource file's name (`teams.yaml`) with its text. Parsed as files
/// read from disk are, with diagnostics naming `dir.join(...)`.
pub(crate) fn from_texts(
    dir: &Path,
    integration: &str,
    resources: &[(&str, &str)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Loaded {
    let dir_name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut folder = IntegrationFiles {
        dir_name,
        integration: parse_text(
            &dir.join(INTEGRATION_FILES[0]),
            "integration".to_owned(),
            integration,
            diagnostics,
        ),
        resources: Vec::new(),
        resource_stems: BTreeSet::new(),
    };
    let mut sorted: Vec<&(&str, &str)> = resources.iter().collect();
    sorted.sort();
    for (name, text) in sorted {
        let stem = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
            .unwrap_or(name);
        folder.resource_stems.insert(stem.to_owned());
        let path = dir.join("resources").join(name);
        folder
            .resources
            .extend(parse_text(&path, stem.to_owned(), text, diagnostics));
    }
    Loaded {
        integrations: vec![folder],
        inputs: Vec::new(),
    }
}

fn parse_text(
    path: &Path,
    stem: String,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SourceFile> {
    match yaml::parse(text) {
        Ok(tree) => Some(SourceFile {
            path: path.to_path_buf(),
            stem,
            tree,
        }),
        Err(error) => {
            diagnostics.push(Diagnostic {
                file: path.to_path_buf(),
                line: error.pos.line,
                column: error.pos.column,
                message: error.message,
                hint: error.hint,
            });
            None
        }
    }
}

/// The entries of a folder sorted by name, or `None` (reported) when it cannot be read.
fn sorted_entries(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Vec<(String, PathBuf)>> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(error) => {
            diagnostics.push(whole_file(
                dir,
                format!("cannot read folder: {error}"),
                None,
            ));
            return None;
        }
    };
    let mut entries: Vec<(String, PathBuf)> = read
        .filter_map(Result::ok)
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .collect();
    entries.sort();
    Some(entries)
}

fn whole_file(path: &Path, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message,
        hint,
    }
}
