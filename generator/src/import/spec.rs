//! Reading the spec: one file, JSON or YAML (told apart by its content, not its name), Swagger
//! 2.0 or OpenAPI 3.0/3.1 (told apart by its `swagger` or `openapi` key), held as one
//! `serde_json::Value` that the rest of the importer walks with JSON pointers.
//!
//! No crate models all three versions (`openapiv3` reads 3.0 only, `oas3` 3.1 only, and the
//! Swagger 2.0 ones are unmaintained), and the importer needs the pointer of every value for
//! its errors anyway, so the spec stays a JSON tree.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Error;

/// Which API description format the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    /// `swagger: "2.0"`: `definitions`, body parameters, `host`/`basePath`/`schemes`.
    Swagger2,
    /// `openapi: 3.0.x`: `components`, `requestBody`, `servers`, `nullable`.
    OpenApi30,
    /// `openapi: 3.1.x` (and later 3.x): JSON Schema 2020-12, type arrays such as
    /// `[string, "null"]`.
    OpenApi31,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::Swagger2 => "Swagger 2.0",
            Version::OpenApi30 => "OpenAPI 3.0",
            Version::OpenApi31 => "OpenAPI 3.1",
        })
    }
}

/// How the file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Json,
    Yaml,
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Syntax::Json => "JSON",
            Syntax::Yaml => "YAML",
        })
    }
}

/// A parsed spec.
#[derive(Debug)]
pub(crate) struct Spec {
    pub(crate) file: PathBuf,
    pub(crate) root: Value,
    pub(crate) version: Version,
    pub(crate) syntax: Syntax,
}

impl Spec {
    /// An error about the value at `pointer` in this spec.
    pub(crate) fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::Spec {
            path: self.file.clone(),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

/// Reads and parses the spec at `path`.
pub(crate) fn read(path: &Path) -> Result<Spec, Error> {
    let text = std::fs::read_to_string(path).map_err(|err| Error::io("read", path, err))?;
    parse(path, &text)
}

/// Parses `text`, read from `path`: JSON when its first character is `{`, YAML otherwise.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Spec, Error> {
    let error = |message: String| Error::Spec {
        path: path.to_path_buf(),
        pointer: String::new(),
        message,
    };
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let (root, syntax) = if body.starts_with('{') {
        let root = serde_json::from_str::<Value>(body)
            .map_err(|err| error(format!("not valid JSON: {err}")))?;
        (root, Syntax::Json)
    } else {
        let root = serde_yaml::from_str::<Value>(body)
            .map_err(|err| error(format!("not valid YAML (nor JSON): {err}")))?;
        (root, Syntax::Yaml)
    };
    if !root.is_object() {
        return Err(error(
            "the top level is not a mapping; a Swagger 2.0 or OpenAPI 3 document is one".to_owned(),
        ));
    }
    let version = version(&root).map_err(|message| Error::Spec {
        path: path.to_path_buf(),
        pointer: message.0.to_owned(),
        message: message.1,
    })?;
    Ok(Spec {
        file: path.to_path_buf(),
        root,
        version,
        syntax,
    })
}

/// The version from `swagger: "2.0"` or `openapi: "3.x.y"`, or the pointer and message of
/// what is wrong.
fn version(root: &Value) -> Result<Version, (&'static str, String)> {
    // YAML reads an unquoted `swagger: 2.0` as a number.
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if let Some(swagger) = root.get("swagger") {
        let found = text(swagger);
        return match found.as_str() {
            "2.0" | "2" => Ok(Version::Swagger2),
            _ => Err((
                "/swagger",
                format!("`swagger: {found}` is not a version the importer reads (2.0)"),
            )),
        };
    }
    let Some(openapi) = root.get("openapi") else {
        return Err((
            "",
            "neither `swagger` nor `openapi` is set: this is not a Swagger 2.0 or OpenAPI 3 \
             document"
                .to_owned(),
        ));
    };
    let found = text(openapi);
    if found.starts_with("3.0") {
        Ok(Version::OpenApi30)
    } else if found.starts_with("3.") {
        Ok(Version::OpenApi31)
    } else {
        Err((
            "/openapi",
            format!("`openapi: {found}` is not a version the importer reads (3.0 or 3.1)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Spec, Error> {
        parse(Path::new("spec"), text)
    }

    #[test]
    fn sniffs_json_and_yaml_by_content() {
        let json = parsed(r#"{"swagger": "2.0", "paths": {}}"#).map(|s| (s.syntax, s.version));
        assert_eq!(json.ok(), Some((Syntax::Json, Version::Swagger2)));
        let yaml = parsed("swagger: 2.0\npaths: {}\n").map(|s| (s.syntax, s.version));
        assert_eq!(yaml.ok(), Some((Syntax::Yaml, Version::Swagger2)));
        let v30 = parsed("openapi: 3.0.3\n").map(|s| s.version);
        assert_eq!(v30.ok(), Some(Version::OpenApi30));
        let v31 = parsed("openapi: '3.1.0'\n").map(|s| s.version);
        assert_eq!(v31.ok(), Some(Version::OpenApi31));
    }

    #[test]
    fn bad_input_names_the_file_and_the_problem() {
        let cases = [
            ("{\"swagger\": ", "spec: not valid JSON"),
            ("a: [", "spec: not valid YAML"),
            ("- 1\n", "the top level is not a mapping"),
            ("info: {}\n", "neither `swagger` nor `openapi`"),
            ("swagger: '1.2'\n", "spec at `/swagger`: `swagger: 1.2`"),
            ("openapi: 2.5\n", "spec at `/openapi`: `openapi: 2.5`"),
        ];
        for (text, expected) in cases {
            let message = match parsed(text) {
                Ok(_) => panic!("{text:?} parsed"),
                Err(err) => err.to_string(),
            };
            assert!(message.contains(expected), "{text:?}: {message}");
        }
    }
}
