//! The generator's one error type: everything that can stop a run after the docs are read.
//!
//! Problems in the docs themselves arrive as [`Diagnostics`] (every problem, with locations);
//! the other variants are failures of the generator's own steps, each naming what it was doing
//! and on which file or template.

use std::io;
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;

/// Why a generation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The docs have problems; nothing was generated.
    #[error("{0}")]
    Diagnostics(#[from] Diagnostics),

    /// Reading or writing a file failed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done (`write`, `read the templates folder`).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },

    /// A template failed to parse or render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template's file name (`tool_title.txt.j2`).
        name: String,
        /// minijinja's message, with the line when it has one.
        message: String,
    },

    /// A custom templates folder holds a file the generator has no template for.
    #[error(
        "unknown template `{}`; the templates are: {known}",
        path.display()
    )]
    UnknownTemplate {
        /// The file in the custom folder.
        path: PathBuf,
        /// The names of the templates there are.
        known: String,
    },

    /// Two generated Rust names collide in one scope. Validation reports every such collision
    /// against the doc that causes it, so this is a generator bug, reported rather than papered
    /// over by renaming.
    #[error(
        "generated Rust would declare `{name}` twice in {scope}; validation should have reported \
         this: please report this bug"
    )]
    NameCollision {
        /// Where (`the fields of `Team``).
        scope: String,
        /// The name.
        name: String,
    },

    /// Emitted Rust did not parse, so it cannot be formatted: a generator bug, reported rather
    /// than written.
    #[error("generated Rust for `{path}` does not parse ({message}); please report this bug")]
    Format {
        /// The generated file (or what was being formatted).
        path: String,
        /// The parser's message.
        message: String,
    },

    /// The API description handed to the importer cannot be read as a Swagger 2.0 or OpenAPI 3
    /// document: the file, the JSON pointer of the offending value (empty for the whole file)
    /// and what is wrong.
    #[error("{}{}: {message}", path.display(), at_pointer(pointer))]
    Spec {
        /// The spec file.
        path: PathBuf,
        /// The JSON pointer of the offending value (`/paths/~1teams/get`), or empty.
        pointer: String,
        /// What is wrong, and where it helps, how to fix it.
        message: String,
    },

    /// The importer would replace docs that exist; nothing was written.
    #[error(
        "{} already {}; nothing was written (`--force` replaces {})",
        quoted_paths(paths),
        if paths.len() == 1 { "exists" } else { "exist" },
        if paths.len() == 1 { "it" } else { "them" }
    )]
    WouldOverwrite {
        /// Every existing file the import would write.
        paths: Vec<PathBuf>,
    },

    /// An importer option is wrong: an integration name that is not snake_case, an unknown
    /// resource. The message names the option and the values it accepts.
    #[error("{0}")]
    ImportOption(String),

    /// `out_dir` was not set and `OUT_DIR` is not in the environment.
    #[error(
        "no output directory: set one with `Builder::out_dir`, or run from a build script where \
         Cargo sets `OUT_DIR`"
    )]
    MissingOutDir,
}

/// ` at `/a/b`` for a non-empty JSON pointer.
fn at_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        String::new()
    } else {
        format!(" at `{pointer}`")
    }
}

fn quoted_paths(paths: &[PathBuf]) -> String {
    let quoted: Vec<String> = paths
        .iter()
        .map(|path| format!("`{}`", path.display()))
        .collect();
    quoted.join(", ")
}

impl Error {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
