//! `generator import`: a front-end that turns a Swagger 2.0 or OpenAPI 3.0/3.1 spec into
//! integration docs (`integration.yaml` and `resources/*.yaml`), which the ordinary pipeline
//! then reads like hand-written ones. It writes the doc format's own serde types
//! (`crate::docs`) and shares the generator's naming rules (`crate::naming`), and nothing
//! else: no model, no IR.
//!
//! Data flows one way, one module per concern:
//! `spec` (read JSON or YAML, tell the version) -> `operation` (every operation in one shape,
//! `refs` resolving `$ref`s) -> `group` (operations into resources by path) -> `naming`
//! (resource names, clashes) -> `build` (each resource doc: `schema` converts schemas into the
//! subset, `detect` finds ids, wrappers and pagination) -> `integration` (the integration doc)
//! -> `naming` (tool names within 64 characters) -> `write` (YAML text, files) and `report`.
//!
//! ```no_run
//! let imported = generator::Importer::new("configv1.swagger.json", "chronosphere").run()?;
//! print!("{}", imported.report);
//! imported.write("integrations", false)?;
//! # Ok::<(), generator::Error>(())
//! ```

mod build;
mod detect;
mod group;
mod integration;
mod naming;
mod operation;
mod refs;
mod report;
mod schema;
mod spec;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::docs::{IntegrationDoc, NoneKeyword, PaginationDoc, PaginationOverride, ResourceDoc};
use crate::error::Error;

pub use report::ImportReport;

/// Configures one import. See [`Importer::new`].
#[derive(Debug, Clone)]
pub struct Importer {
    spec: PathBuf,
    integration: String,
    resources: Option<BTreeSet<String>>,
    existing: Option<PathBuf>,
}

/// An import's result, in memory: the doc files and the report.
#[derive(Debug, Clone)]
pub struct Imported {
    /// Doc text by path relative to the docs folder (`chronosphere/integration.yaml`,
    /// `chronosphere/resources/teams.yaml`).
    pub files: BTreeMap<PathBuf, String>,
    /// What was imported, renamed, noted and left out.
    pub report: ImportReport,
}

impl Importer {
    /// Imports the spec at `spec` as the integration `integration` (snake_case).
    pub fn new(spec: impl Into<PathBuf>, integration: impl Into<String>) -> Self {
        Importer {
            spec: spec.into(),
            integration: integration.into(),
            resources: None,
            existing: None,
        }
    }

    /// Imports only this resource, by the name the importer gives it (may be called
    /// repeatedly). Default: every resource.
    pub fn resource(&mut self, name: impl Into<String>) -> &mut Self {
        self.resources
            .get_or_insert_with(BTreeSet::new)
            .insert(name.into());
        self
    }

    /// The docs folder the result will be written to. A selective import ([`Importer::resource`])
    /// keeps an `integration.yaml` it finds there, and writes the resources against that file's
    /// default pagination.
    pub fn docs_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.existing = Some(dir.into());
        self
    }

    /// Reads the spec and builds every doc in memory.
    pub fn run(&self) -> Result<Imported, Error> {
        let name = &self.integration;
        if !crate::naming::is_snake_case(name) {
            return Err(Error::ImportOption(format!(
                "the integration name `{name}` is not snake_case (lowercase letters, digits and \
                 single `_`, starting with a letter); for example `{}`",
                naming::snake(name)
            )));
        }
        let spec = spec::read(&self.spec)?;
        let refs = refs::Refs::new(&spec);
        let (ops, mut unmapped) = operation::operations(&refs)?;
        let all_ops = ops.clone();
        let groups = group::group(&refs, ops)?;
        let names = naming::resource_names(&groups);
        self.check_selection(&names)?;

        let mut report = ImportReport {
            title: format!(
                "{} ({} {})",
                spec.root
                    .pointer("/info/title")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("the spec"),
                spec.version,
                spec.syntax
            ),
            integration: name.clone(),
            ..ImportReport::default()
        };
        let mut cx = build::Context {
            refs: &refs,
            converter: schema::Converter::new(&refs),
        };
        let mut built = Vec::new();
        for (group, names) in groups.iter().zip(&names) {
            let resource = cx.resource(group, names)?;
            let selected = self
                .resources
                .as_ref()
                .is_none_or(|s| s.contains(&names.name));
            if !selected {
                report.not_selected += group.methods.len();
                built.push((group, names, resource, false));
                continue;
            }
            unmapped.extend(resource.unmapped.iter().cloned());
            report.notes.extend(resource.notes.iter().cloned());
            if let Some((plain, why)) = &names.renamed_from {
                report.renamed_resources.push((
                    group.path.clone(),
                    plain.clone(),
                    names.name.clone(),
                    why.clone(),
                ));
            }
            built.push((group, names, resource, true));
        }

        // The default pagination: the style most lists share, over the whole spec, so that a
        // selective import agrees with a full one; or the kept integration file's.
        let kept = self.kept_integration()?;
        let default = match &kept {
            Some((_, doc)) => doc.pagination.clone(),
            None => detect::most_common(
                built
                    .iter()
                    .filter_map(|(_, _, r, _)| r.list_paging.clone().flatten())
                    .map(|paging| paging.doc),
            ),
        };
        let mut resources: Vec<ResourceDoc> = Vec::new();
        for (group, _, resource, selected) in built {
            if !selected
                || resource.doc.methods.is_empty() && resource.doc.custom_methods.is_empty()
            {
                continue;
            }
            let mut doc = resource.doc;
            if let (Some(list), Some(paging)) = (doc.methods.list.as_mut(), resource.list_paging) {
                let own = paging.map(|p| p.doc);
                let default_style = default.clone().filter(|d| *d != PaginationDoc::None);
                if own != default_style {
                    list.pagination = Some(match own {
                        Some(style) => PaginationOverride::Style(style),
                        None => PaginationOverride::Off(NoneKeyword::None),
                    });
                }
            }
            report.resources.push(report::ResourceLine {
                name: doc.name.clone(),
                path: group.path.clone(),
                singleton: group.singleton,
                nested_under: group.is_nested().then(|| {
                    group
                        .parent
                        .clone()
                        .unwrap_or_else(|| "a path parameter".to_owned())
                }),
                methods: method_names(&doc),
            });
            resources.push(doc);
        }
        resources.sort_by(|a, b| a.name.cmp(&b.name));
        report.resources.sort_by(|a, b| a.name.cmp(&b.name));
        report.renamed_tools = naming::assign_tool_names(name, &mut resources);

        let mut files = BTreeMap::new();
        let folder = PathBuf::from(name);
        match kept {
            Some((path, _)) => report.kept_integration = Some(path.display().to_string()),
            None => {
                let integration = integration::integration(&refs, name, default.clone(), &all_ops)?;
                report.notes.splice(0..0, integration.notes.iter().cloned());
                let path = folder.join("integration.yaml");
                let text = write::yaml(
                    &path,
                    &write::integration_header(),
                    &integration.doc,
                    &integration.comments,
                )?;
                files.insert(path, text);
            }
        }
        for resource in &resources {
            let path = folder
                .join("resources")
                .join(format!("{}.yaml", resource.name));
            let text = write::yaml(&path, &write::resource_header(), resource, &[])?;
            files.insert(path, text);
        }
        report.unmapped = unmapped;
        Ok(Imported { files, report })
    }

    /// Unknown names in the selection are an error that lists the names there are.
    fn check_selection(&self, names: &[naming::ResourceNames]) -> Result<(), Error> {
        let Some(selected) = &self.resources else {
            return Ok(());
        };
        let known: BTreeSet<&str> = names.iter().map(|n| n.name.as_str()).collect();
        let unknown: Vec<&str> = selected
            .iter()
            .map(String::as_str)
            .filter(|name| !known.contains(name))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let known: Vec<&str> = known.into_iter().collect();
        Err(Error::ImportOption(format!(
            "no resource named {} in this spec; its resources are: {}",
            unknown
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", "),
            known.join(", ")
        )))
    }

    /// The existing `integration.yaml` a selective import keeps, read.
    fn kept_integration(&self) -> Result<Option<(PathBuf, IntegrationDoc)>, Error> {
        let (Some(_), Some(dir)) = (&self.resources, &self.existing) else {
            return Ok(None);
        };
        let path = dir.join(&self.integration).join("integration.yaml");
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(|err| Error::io("read", &path, err))?;
        let doc = serde_yaml::from_str(&text).map_err(|err| Error::Spec {
            path: path.clone(),
            pointer: String::new(),
            message: format!("cannot read the integration file this import keeps: {err}"),
        })?;
        Ok(Some((path, doc)))
    }
}

impl Imported {
    /// Writes the docs under `docs_dir` (`<docs_dir>/<integration>/...`). Unless `force`, a
    /// file that exists stops the write before anything is written
    /// ([`Error::WouldOverwrite`]). Returns the paths written.
    pub fn write(&self, docs_dir: impl AsRef<Path>, force: bool) -> Result<Vec<PathBuf>, Error> {
        write::write(docs_dir.as_ref(), &self.files, force)
    }
}

/// `list`, `get`, ..., then the custom methods, as the report lists them.
fn method_names(doc: &ResourceDoc) -> Vec<String> {
    let m = &doc.methods;
    let standard = [
        ("list", m.list.is_some()),
        ("get", m.get.is_some()),
        ("create", m.create.is_some()),
        ("update", m.update.is_some()),
        ("delete", m.delete.is_some()),
    ];
    standard
        .iter()
        .filter(|(_, present)| *present)
        .map(|(name, _)| (*name).to_owned())
        .chain(doc.custom_methods.keys().cloned())
        .collect()
}
