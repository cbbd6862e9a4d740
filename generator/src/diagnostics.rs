//! Problems found in integration docs, each pinned to a file, line and column.
//!
//! Validation never stops at the first problem: it collects [`Diagnostic`]s and hands them back
//! together as [`Diagnostics`], which renders rustc-style (one block per problem, then a count).
//! Line and column are 1-based; a line of 0 means the problem concerns the whole file or folder
//! (a missing file, an unreadable directory), and then only the path is shown.

use std::fmt;
use std::path::PathBuf;

/// One problem in the docs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file (or folder) at fault, as `docs_dir.join(...)`.
    pub file: PathBuf,
    /// 1-based; 0 when the problem has no position inside the file.
    pub line: usize,
    /// 1-based, in characters; 0 when `line` is 0.
    pub column: usize,
    /// What is wrong: starts lowercase, names in backticks.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// The `file:line:column` part, or just the file when there is no position.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.display().to_string()
        } else {
            format!("{}:{}:{}", self.file.display(), self.line, self.column)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}\n  --> {}", self.message, self.location())?;
        if let Some(hint) = &self.hint {
            write!(f, "\n   = help: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in one run, in file order, then line and column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Each problem, in file order, then line and column.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}\n")?;
        }
        match self.0.len() {
            1 => write!(f, "1 error"),
            n => write!(f, "{n} errors"),
        }
    }
}

impl std::error::Error for Diagnostics {}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn renders_rustc_like_with_a_count() {
        let diagnostics = Diagnostics(vec![
            Diagnostic {
                file: "docs/a/integration.yaml".into(),
                line: 3,
                column: 5,
                message: "unknown key `reponse_path`".into(),
                hint: Some("did you mean `response_path`?".into()),
            },
            Diagnostic {
                file: "docs/a".into(),
                line: 0,
                column: 0,
                message: "missing `integration.yaml`".into(),
                hint: None,
            },
        ]);
        assert_eq!(
            diagnostics.to_string(),
            "error: unknown key `reponse_path`\n  --> docs/a/integration.yaml:3:5\n   = help: did you \
             mean `response_path`?\n\nerror: missing `integration.yaml`\n  --> docs/a\n\n2 errors"
        );
    }
}
