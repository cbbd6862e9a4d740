//! The minijinja templates behind every piece of prose and every non-Rust file.
//!
//! Templates live in `templates/` and are compiled into the generator with `include_str!`, so a
//! downstream build script needs no templates folder. A custom folder may override any of them
//! by file name. Rendering is strict (an undefined variable is an error) and every context is a
//! typed struct, so a template and its caller cannot silently drift apart.

use std::path::Path;

use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::error::Error;

/// Every template, by name, with its embedded source.
pub(crate) const EMBEDDED: &[(&str, &str)] = &[
    (
        "tool_title.txt.j2",
        include_str!("../../templates/tool_title.txt.j2"),
    ),
    (
        "tool_description.md.j2",
        include_str!("../../templates/tool_description.md.j2"),
    ),
    (
        "arg_id.txt.j2",
        include_str!("../../templates/arg_id.txt.j2"),
    ),
    (
        "arg_path.txt.j2",
        include_str!("../../templates/arg_path.txt.j2"),
    ),
    (
        "arg_limit.txt.j2",
        include_str!("../../templates/arg_limit.txt.j2"),
    ),
    (
        "arg_next_cursor.txt.j2",
        include_str!("../../templates/arg_next_cursor.txt.j2"),
    ),
    (
        "output_next_cursor.txt.j2",
        include_str!("../../templates/output_next_cursor.txt.j2"),
    ),
    (
        "output_raw.txt.j2",
        include_str!("../../templates/output_raw.txt.j2"),
    ),
    (
        "rust_docs.md.j2",
        include_str!("../../templates/rust_docs.md.j2"),
    ),
    ("README.md.j2", include_str!("../../templates/README.md.j2")),
    (
        "Cargo.toml.j2",
        include_str!("../../templates/Cargo.toml.j2"),
    ),
    (
        "server.Cargo.toml.j2",
        include_str!("../../templates/server.Cargo.toml.j2"),
    ),
];

/// The template environment of one generator run.
#[derive(Debug)]
pub(crate) struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The embedded templates.
    pub(crate) fn embedded() -> Result<Self, Error> {
        let mut env = new_environment();
        for (name, source) in EMBEDDED {
            env.add_template(name, source)
                .map_err(|err| template_error(name, &err))?;
        }
        Ok(Templates { env })
    }

    /// The embedded templates, with any file of the same name in `dir` taking precedence. Any
    /// other `.j2` file in `dir` is an error: a misspelt override would otherwise be ignored.
    pub(crate) fn with_overrides(dir: &Path) -> Result<Self, Error> {
        let mut templates = Templates::embedded()?;
        for path in override_files(dir)? {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or_default();
            if !EMBEDDED.iter().any(|(known, _)| *known == name) {
                let known = EMBEDDED
                    .iter()
                    .map(|(known, _)| *known)
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(Error::UnknownTemplate { path, known });
            }
            let source =
                std::fs::read_to_string(&path).map_err(|err| Error::io("read", &path, err))?;
            templates
                .env
                .add_template_owned(name.to_owned(), source)
                .map_err(|err| template_error(name, &err))?;
        }
        Ok(templates)
    }

    /// Renders `name` with a typed context.
    pub(crate) fn render<C: Serialize>(&self, name: &str, context: &C) -> Result<String, Error> {
        let template = self
            .env
            .get_template(name)
            .map_err(|err| template_error(name, &err))?;
        template
            .render(Serde(context))
            .map_err(|err| template_error(name, &err))
    }

    /// Renders `name` and trims surrounding whitespace: for one-line and one-paragraph prose.
    pub(crate) fn render_text<C: Serialize>(
        &self,
        name: &str,
        context: &C,
    ) -> Result<String, Error> {
        Ok(self.render(name, context)?.trim().to_owned())
    }
}

/// The `.j2` files in a custom templates folder, sorted.
pub(crate) fn override_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, Error> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| Error::io("read the templates folder", dir, err))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|err| Error::io("read the templates folder", dir, err))?
            .path();
        if path.extension().is_some_and(|ext| ext == "j2") {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn new_environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Markdown and TOML are not HTML: nothing is escaped unless a filter says so.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.add_filter("md_cell", md_cell);
    env.add_filter("toml_string", toml_string);
    env.add_filter("indefinite_article", indefinite_article);
    env
}

fn template_error(name: &str, err: &minijinja::Error) -> Error {
    let mut message = err.to_string();
    if let Some(detail) = err.detail().filter(|detail| !message.contains(detail)) {
        message = format!("{message}: {detail}");
    }
    if let Some(line) = err.line() {
        message = format!("{message} (line {line})");
    }
    Error::Template {
        name: name.to_owned(),
        message,
    }
}

/// Makes text safe inside one Markdown table cell: one line, pipes escaped.
fn md_cell(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("<br>")
        .replace('|', "\\|")
}

/// A TOML basic string. JSON string escapes are a subset of TOML's, so serde_json does the work.
fn toml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// `a` or `an` before a word, by its first letter: good enough for product names.
fn indefinite_article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Title<'a> {
        kind: &'a str,
        method: &'a str,
        integration: &'a str,
        resource: &'a str,
        resources: &'a str,
        singleton: bool,
    }

    #[test]
    fn titles_read_as_english() {
        let templates = Templates::embedded().unwrap();
        let title = |kind, integration| {
            let singleton = integration == "the";
            let integration = if singleton { "Acme" } else { integration };
            let context = Title {
                kind,
                method: "archive",
                integration,
                resource: "team",
                resources: "teams",
                singleton,
            };
            templates
                .render_text("tool_title.txt.j2", &context)
                .unwrap()
        };
        assert_eq!(title("list", "Chronosphere"), "List all Chronosphere teams");
        assert_eq!(title("get", "Chronosphere"), "Get a Chronosphere team");
        assert_eq!(title("delete", "Acme"), "Delete an Acme team");
        assert_eq!(
            title("archive", "Chronosphere"),
            "Archive Chronosphere teams"
        );
        assert_eq!(title("update", "the"), "Update the Acme team");
    }

    #[test]
    fn undefined_variables_are_errors() {
        #[derive(Serialize)]
        struct Empty {}
        let templates = Templates::embedded().unwrap();
        let err = templates
            .render("tool_title.txt.j2", &Empty {})
            .unwrap_err();
        assert!(err.to_string().contains("tool_title.txt.j2"), "{err}");
    }

    #[test]
    fn filters_escape_for_their_formats() {
        assert_eq!(md_cell("a | b\n  c"), "a \\| b<br>c");
        assert_eq!(toml_string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
        assert_eq!(indefinite_article("Okta"), "an");
    }

    #[test]
    fn unknown_override_files_are_rejected() {
        let dir = std::env::temp_dir().join(format!("mcpgen-templates-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("tool_titel.txt.j2"), "x").unwrap();
        let err = Templates::with_overrides(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.to_string().contains("tool_titel.txt.j2"), "{err}");
        assert!(err.to_string().contains("tool_title.txt.j2"), "{err}");
    }
}
