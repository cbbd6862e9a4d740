//! Resolving `$ref`s: local references (`#/definitions/Team`, `#/components/schemas/Team`,
//! `#/parameters/...`) to the value they name and its JSON pointer, which is also how the
//! importer tells two schemas apart (the same pointer is the same schema). A reference outside
//! the file, or to nothing, is an error naming where it was written.

use serde_json::Value;

use super::spec::Spec;
use crate::error::Error;

/// How many `$ref`-only values may chain before the importer calls it a loop.
const MAX_CHAIN: usize = 64;

/// Looks references up in one spec.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refs<'s> {
    pub(crate) spec: &'s Spec,
}

impl<'s> Refs<'s> {
    pub(crate) fn new(spec: &'s Spec) -> Self {
        Refs { spec }
    }

    /// The target of `reference` (written at `at`) and its pointer.
    pub(crate) fn target(&self, reference: &str, at: &str) -> Result<(&'s Value, String), Error> {
        let Some(pointer) = reference.strip_prefix('#') else {
            return Err(self.spec.error(
                at,
                format!(
                    "`$ref: {reference}` points outside this file; bundle the spec into one \
                     file first (for example with `redocly bundle`)"
                ),
            ));
        };
        let pointer = percent_decode(pointer);
        match self.spec.root.pointer(&pointer) {
            Some(value) => Ok((value, pointer)),
            None => Err(self.spec.error(
                at,
                format!("`$ref: {reference}` names nothing in this file"),
            )),
        }
    }

    /// `value` (at `pointer`) with any chain of `$ref`s followed to the value that has content,
    /// and that value's pointer.
    pub(crate) fn follow(
        &self,
        value: &'s Value,
        pointer: &str,
    ) -> Result<(&'s Value, String), Error> {
        let (mut value, mut pointer) = (value, pointer.to_owned());
        for _ in 0..MAX_CHAIN {
            match value.get("$ref") {
                Some(Value::String(reference)) => {
                    (value, pointer) = self.target(reference, &pointer)?;
                }
                Some(_) => {
                    return Err(self.spec.error(&pointer, "`$ref` must be a string"));
                }
                None => return Ok((value, pointer)),
            }
        }
        Err(self
            .spec
            .error(&pointer, "`$ref`s here refer to each other in a loop"))
    }
}

/// `pointer` followed by one more token, escaped (`/paths` + `/teams` -> `/paths/~1teams`).
pub(crate) fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// The last token of a pointer, unescaped: `#/definitions/configv1Team` -> `configv1Team`.
pub(crate) fn last_token(pointer: &str) -> String {
    let last = pointer.rsplit('/').next().unwrap_or(pointer);
    last.replace("~1", "/").replace("~0", "~")
}

/// `%7B` and friends in a reference's fragment, decoded (references are URIs).
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::spec;
    use std::path::Path;

    fn spec(text: &str) -> Spec {
        match spec::parse(Path::new("spec.yaml"), text) {
            Ok(spec) => spec,
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn follows_chains_and_reports_bad_references() {
        let spec = spec(
            "swagger: '2.0'\ndefinitions:\n  A: {$ref: '#/definitions/B'}\n  B: {type: string}\n  \
             C: {$ref: '#/definitions/Nope'}\n  D: {$ref: 'other.yaml#/X'}\n  E: {$ref: '#/definitions/E'}\n",
        );
        let refs = Refs::new(&spec);
        let start = spec.root.pointer("/definitions/A");
        let followed = start.map(|a| refs.follow(a, "/definitions/A"));
        let Some(Ok((value, pointer))) = followed else {
            panic!("A does not resolve")
        };
        assert_eq!(pointer, "/definitions/B");
        assert_eq!(value.get("type"), Some(&Value::from("string")));

        for (name, expected) in [
            (
                "C",
                "spec.yaml at `/definitions/C`: `$ref: #/definitions/Nope` names nothing",
            ),
            ("D", "points outside this file"),
            ("E", "refer to each other in a loop"),
        ] {
            let pointer = format!("/definitions/{name}");
            let Some(value) = spec.root.pointer(&pointer) else {
                panic!("no {name}")
            };
            match refs.follow(value, &pointer) {
                Ok(_) => panic!("{name} resolved"),
                Err(err) => assert!(err.to_string().contains(expected), "{err}"),
            }
        }
    }

    #[test]
    fn pointer_tokens_are_escaped_and_decoded() {
        assert_eq!(child("/paths", "/teams/{id}"), "/paths/~1teams~1{id}");
        assert_eq!(last_token("/definitions/a~1b"), "a/b");
        assert_eq!(percent_decode("/paths/~1x~1%7Bid%7D"), "/paths/~1x~1{id}");
    }
}
