//! The generator's one error type: everything that can stop a run after the docs are read.
//!
//! Problems in the docs themselves arrive as [`Diagnostics`] (every problem, with locations);
//! the other variants are failures of the generator's own steps, each naming what it was doing
//! and on which file or template.

use std::io;
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The docs have problems; nothing was generated.
    #[error("{0}")]
    Diagnostics(#[from] Diagnostics),

    /// Reading or writing a file failed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// A template failed to parse or render.
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },

    /// A custom templates folder holds a file the generator has no template for.
    #[error(
        "unknown template `{}`; the templates are: {known}",
        path.display()
    )]
    UnknownTemplate { path: PathBuf, known: String },

    /// Two generated Rust names collide in one scope. Validation reports every such collision
    /// against the doc that causes it, so this is a generator bug, reported rather than papered
    /// over by renaming.
    #[error(
        "generated Rust would declare `{name}` twice in {scope}; validation should have reported \
         this: please report this bug"
    )]
    NameCollision { scope: String, name: String },

    /// Emitted Rust did not parse, so it cannot be formatted: a generator bug, reported rather
    /// than written.
    #[error("generated Rust for `{path}` does not parse ({message}); please report this bug")]
    Format { path: String, message: String },

    /// `out_dir` was not set and `OUT_DIR` is not in the environment.
    #[error(
        "no output directory: set one with `Builder::out_dir`, or run from a build script where \
         Cargo sets `OUT_DIR`"
    )]
    MissingOutDir,
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
