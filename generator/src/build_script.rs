//! The build-script entry point: [`Builder::write_or_exit`], which turns a failed generation
//! into a readable `cargo build` error instead of a panic or a `Debug` dump.
//!
//! Cargo shows a failing build script's stderr under `--- stderr`, so the rendered diagnostics
//! (`error: ...` / `--> file:line:column` / `= help: ...`) land in front of the user as they
//! are. Exit status 1 fails the build. A build script that fails is always run again by the
//! next `cargo build`, so nothing has to be printed for `cargo:rerun-if-changed` on failure.
//! Plain `cargo:` lines (not `cargo::error=`) keep downstream crates free to declare an old MSRV.

use std::fmt::Write as _;
use std::process;

use crate::builder::Builder;
use crate::error::Error;
use crate::files::WriteSummary;

impl Builder {
    /// [`Builder::write`] for `build.rs`: on success returns what was written; on failure prints
    /// the error to stderr and exits with status 1, which fails `cargo build` with that message.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     generator::Builder::new().docs_dir("docs").write_or_exit();
    /// }
    /// ```
    // The example is a whole build script, so it shows its `main`.
    #[allow(clippy::needless_doctest_main)]
    pub fn write_or_exit(&self) -> WriteSummary {
        match self.write() {
            Ok(summary) => summary,
            Err(error) => {
                eprint!("{}", failure_report(&error));
                process::exit(1)
            }
        }
    }
}

/// What a failed build script prints: a first line that says who failed and where relative
/// paths start (Cargo runs build scripts in the package directory, which the user may not be
/// in), then the error itself.
fn failure_report(error: &Error) -> String {
    let mut report =
        String::from("error: mcpgen could not generate Rust from the integration docs");
    if let Ok(dir) = std::env::current_dir() {
        let _ = write!(report, " (paths are relative to {})", dir.display());
    }
    let _ = write!(report, "\n\n{error}\n");
    report
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, Diagnostics};

    #[test]
    fn the_report_names_the_base_directory_then_renders_every_diagnostic() {
        let error = Error::Diagnostics(Diagnostics(vec![Diagnostic {
            file: "docs/inkwell/resources/notes.yaml".into(),
            line: 3,
            column: 5,
            message: "unknown key `reponse_path`".into(),
            hint: Some("did you mean `response_path`?".into()),
        }]));
        let report = failure_report(&error);
        let cwd = std::env::current_dir().unwrap();
        let (first, rest) = report.split_once('\n').unwrap();
        assert_eq!(
            first,
            format!(
                "error: mcpgen could not generate Rust from the integration docs (paths are \
                 relative to {})",
                cwd.display()
            )
        );
        assert_eq!(
            rest,
            "\nerror: unknown key `reponse_path`\n  --> docs/inkwell/resources/notes.yaml:3:5\n   \
             = help: did you mean `response_path`?\n\n1 error\n"
        );
    }
}
