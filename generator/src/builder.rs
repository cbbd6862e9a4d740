//! The library entry point, prost-build style: configure a [`Builder`], then [`Builder::generate`]
//! (in memory, no I/O but reading the docs), [`Builder::write`] or [`Builder::check`].
//!
//! From a build script, where [`Builder::write_or_exit`] turns problems in the docs into a
//! failed `cargo build` that shows every diagnostic (`?` from `main` would print them with
//! `Debug`):
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     generator::Builder::new().docs_dir("docs").write_or_exit();
//! }
//! ```
//!
//! and in the crate, next to dependencies on `mcpgen-runtime`, `serde` and `serde_json`:
//!
//! ```text
//! pub mod chronosphere {
//!     include!(concat!(env!("OUT_DIR"), "/chronosphere.rs"));
//! }
//! ```
//!
//! `docs/build-rs.md` is the guide; `examples/downstream/` a complete crate.

// The build-script example above is a whole `build.rs`, so it shows its `main`.
#![allow(clippy::needless_doctest_main)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::emit::{self, Layout};
use crate::error::Error;
use crate::files::{CheckReport, GeneratedFiles, WriteSummary};
use crate::ir;
use crate::lower;
use crate::templates::{self, Templates};
use crate::validate::{self, Selection};

/// Configures one generation. Every option has a default; see each method.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    docs_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    integrations: Option<BTreeSet<String>>,
    resources: Option<BTreeSet<String>>,
    templates_dir: Option<PathBuf>,
    layout: Layout,
    rerun_if_changed: Option<bool>,
}

/// One generation's result: the files, what was read to make them, and a summary of what they
/// hold.
#[derive(Debug, Clone)]
pub struct Generation {
    /// Every generated file, by path relative to the output directory.
    pub files: GeneratedFiles,
    /// Every doc file and folder read: what `cargo:rerun-if-changed` names.
    pub inputs: Vec<PathBuf>,
    /// The IR the files came from, for the summaries below.
    integrations: Vec<ir::Integration>,
}

impl Generation {
    /// The integrations generated, by name, in order.
    pub fn integration_names(&self) -> impl Iterator<Item = &str> {
        self.integrations
            .iter()
            .map(|integration| integration.name.as_str())
    }

    /// How many resources the integrations have in all.
    pub fn resource_count(&self) -> usize {
        self.integrations
            .iter()
            .map(|integration| integration.resources.len())
            .sum()
    }

    /// How many tools the integrations have in all.
    pub fn tool_count(&self) -> usize {
        self.tool_names().count()
    }

    /// Every tool's MCP name, integration by integration, resource by resource.
    pub fn tool_names(&self) -> impl Iterator<Item = &str> {
        self.integrations
            .iter()
            .flat_map(|integration| &integration.resources)
            .flat_map(|resource| &resource.tools)
            .map(|tool| tool.name.as_str())
    }
}

impl Builder {
    /// A builder with every option at its default.
    pub fn new() -> Self {
        Builder::default()
    }

    /// The folder holding one subfolder per integration. Default: `integrations`, relative to
    /// the current directory (a build script runs in its package's directory).
    pub fn docs_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.docs_dir = Some(dir.into());
        self
    }

    /// Where [`Builder::write`] and [`Builder::check`] look. Default: the `OUT_DIR` environment
    /// variable that Cargo sets for build scripts; without either, they fail with
    /// [`Error::MissingOutDir`].
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates only this integration (may be called repeatedly). Default: all of them.
    pub fn integration(&mut self, name: impl Into<String>) -> &mut Self {
        self.integrations
            .get_or_insert_with(BTreeSet::new)
            .insert(name.into());
        self
    }

    /// Generates only this resource (plural name; may be called repeatedly). Default: all.
    pub fn resource(&mut self, name: impl Into<String>) -> &mut Self {
        self.resources
            .get_or_insert_with(BTreeSet::new)
            .insert(name.into());
        self
    }

    /// A folder whose `.j2` files replace the embedded templates of the same name.
    pub fn templates_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.templates_dir = Some(dir.into());
        self
    }

    /// How the Rust is laid out. Default: [`Layout::SingleFile`], for `include!`.
    pub fn layout(&mut self, layout: Layout) -> &mut Self {
        self.layout = layout;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every input. Default: only when running
    /// under a build script (`CARGO` and `OUT_DIR` both set).
    pub fn emit_rerun_if_changed(&mut self, yes: bool) -> &mut Self {
        self.rerun_if_changed = Some(yes);
        self
    }

    /// Reads and validates the docs and generates every file in memory.
    pub fn generate(&self) -> Result<GeneratedFiles, Error> {
        Ok(self.run()?.files)
    }

    /// Reads and validates the docs without generating anything: every problem in them, with
    /// its location, or `Ok`.
    pub fn validate(&self) -> Result<(), Diagnostics> {
        validate::load_and_validate(&self.resolved_docs_dir(), &self.selection()).map(drop)
    }

    /// Validates one integration held in memory instead of read from the docs folder:
    /// `integration` is the text of its `integration.yaml`, and `resources` pairs each resource
    /// file's name (`teams.yaml`) with its text. The integration's folder is named `dir_name`,
    /// and diagnostics name files as if it sat in the docs folder. The fuzz target
    /// `docs_loader` (`fuzz/`) feeds arbitrary bytes through this.
    pub fn validate_texts(
        &self,
        dir_name: &str,
        integration: &str,
        resources: &[(&str, &str)],
    ) -> Result<(), Diagnostics> {
        let dir = self.resolved_docs_dir().join(dir_name);
        validate::validate_texts(&dir, integration, resources).map(drop)
    }

    /// Like [`Builder::generate`], keeping what was read and a summary alongside the files.
    pub fn run(&self) -> Result<Generation, Error> {
        let docs_dir = self.resolved_docs_dir();
        let validated = validate::load_and_validate(&docs_dir, &self.selection())?;
        let templates = match &self.templates_dir {
            Some(dir) => Templates::with_overrides(dir)?,
            None => Templates::embedded()?,
        };
        if self.rerun_if_changed.unwrap_or_else(under_build_script) {
            self.print_rerun_if_changed(&docs_dir, &validated.inputs)?;
        }
        let integrations = lower::lower_all(&validated.integrations, &templates)?;
        let mut files = emit::emit(&integrations, &templates, self.layout)?;
        // Regenerating everything into crates also clears out crates of removed integrations.
        files.sweep_stale_crates(self.layout == Layout::Crates && self.integrations.is_none());
        Ok(Generation {
            files,
            inputs: validated.inputs,
            integrations,
        })
    }

    /// The docs folder: the configured one, else `integrations`.
    fn resolved_docs_dir(&self) -> PathBuf {
        self.docs_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("integrations"))
    }

    fn selection(&self) -> Selection {
        Selection {
            integrations: self.integrations.clone(),
            resources: self.resources.clone(),
        }
    }

    /// Generates, then writes what changed to the output directory.
    pub fn write(&self) -> Result<WriteSummary, Error> {
        let out_dir = self.resolved_out_dir()?;
        self.generate()?.write(&out_dir)
    }

    /// Generates, then compares with the output directory without writing.
    pub fn check(&self) -> Result<CheckReport, Error> {
        let out_dir = self.resolved_out_dir()?;
        self.generate()?.check(&out_dir)
    }

    /// The output directory: the configured one, else `OUT_DIR`.
    pub fn resolved_out_dir(&self) -> Result<PathBuf, Error> {
        match &self.out_dir {
            Some(dir) => Ok(dir.clone()),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::MissingOutDir),
        }
    }

    fn print_rerun_if_changed(&self, docs_dir: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
        // The folder itself, so that a new integration or resource file triggers a rebuild too.
        if !inputs.iter().any(|input| input == docs_dir) {
            println!("cargo:rerun-if-changed={}", docs_dir.display());
        }
        for input in inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        if let Some(dir) = &self.templates_dir {
            println!("cargo:rerun-if-changed={}", dir.display());
            for template in templates::override_files(dir)? {
                println!("cargo:rerun-if-changed={}", template.display());
            }
        }
        Ok(())
    }
}

fn under_build_script() -> bool {
    std::env::var_os("CARGO").is_some() && std::env::var_os("OUT_DIR").is_some()
}

/// The common case in one call: generates every integration under `docs_dir` into `OUT_DIR`,
/// one file each, and tells Cargo when to rerun.
pub fn compile_docs(docs_dir: impl Into<PathBuf>) -> Result<WriteSummary, Error> {
    Builder::new().docs_dir(docs_dir).write()
}
