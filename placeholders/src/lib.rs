//! `{placeholder}` templates: base URLs (`https://{tenant}.chronosphere.io`), auth values
//! (`Token token={api_token}`) and paths (`/repos/{owner}/{repo}/issues`).
//!
//! One parser for the generator, which checks the templates of the docs and reports problems at
//! their file:line:column, and the runtime, which fills them (and `--base-url` overrides, which
//! reach it unchecked): a template means the same thing wherever it is read. Names may use
//! letters, digits, `_`, `.` and `-`; braces do not nest and cannot be escaped.
#![warn(missing_docs)]

use std::fmt;

/// One piece of a template, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'t> {
    /// Text copied as is.
    Text(&'t str),
    /// `{name}`.
    Placeholder(Placeholder<'t>),
}

/// A `{name}` and where its `{` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder<'t> {
    /// The name between the braces.
    pub name: &'t str,
    /// Byte offset of the `{` in the template.
    pub byte: usize,
    /// Character offset of the `{` (for columns in diagnostics).
    pub char: usize,
}

/// A malformed template: what is wrong and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateError {
    /// What is wrong.
    pub kind: ErrorKind,
    /// Byte offset of the problem.
    pub byte: usize,
    /// Character offset of the problem.
    pub char: usize,
}

/// The ways a template can be malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A `{` with no `}` after it.
    Unclosed,
    /// A `}` with no `{` before it.
    UnmatchedClose,
    /// A `{` inside a placeholder.
    Nested,
    /// `{}`.
    Empty,
    /// A character other than a letter, digit, `_`, `.` or `-` in a name.
    BadName,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ErrorKind::Unclosed => "`{` without a closing `}`",
            ErrorKind::UnmatchedClose => "`}` without a matching `{`",
            ErrorKind::Nested => "`{` inside a placeholder",
            ErrorKind::Empty => "empty placeholder `{}`",
            ErrorKind::BadName => {
                "placeholder names may only use letters, digits, `_`, `.` and `-`"
            }
        })
    }
}

impl std::error::Error for TemplateError {}

/// The text and placeholders of `template`, in order, or its first problem.
pub fn parse(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut text_start = 0;
    // The open placeholder: byte and char offsets of its `{`.
    let mut open: Option<(usize, usize)> = None;
    let error = |kind, byte, char| TemplateError { kind, byte, char };
    for (char, (byte, c)) in template.char_indices().enumerate() {
        match (c, open) {
            ('{', None) => {
                if byte > text_start {
                    pieces.push(Piece::Text(&template[text_start..byte]));
                }
                open = Some((byte, char));
            }
            ('{', Some(_)) => return Err(error(ErrorKind::Nested, byte, char)),
            ('}', None) => return Err(error(ErrorKind::UnmatchedClose, byte, char)),
            ('}', Some((start, start_char))) => {
                let name = &template[start + 1..byte];
                if name.is_empty() {
                    return Err(error(ErrorKind::Empty, start, start_char));
                }
                pieces.push(Piece::Placeholder(Placeholder {
                    name,
                    byte: start,
                    char: start_char,
                }));
                open = None;
                text_start = byte + 1;
            }
            (c, Some((start, start_char))) => {
                if !(c.is_ascii_alphanumeric() || "_.-".contains(c)) {
                    return Err(error(ErrorKind::BadName, start, start_char));
                }
            }
            (_, None) => {}
        }
    }
    if let Some((start, start_char)) = open {
        return Err(error(ErrorKind::Unclosed, start, start_char));
    }
    if template.len() > text_start {
        pieces.push(Piece::Text(&template[text_start..]));
    }
    Ok(pieces)
}

/// The placeholders of `template`, in order.
pub fn placeholders(template: &str) -> Result<Vec<Placeholder<'_>>, TemplateError> {
    Ok(parse(template)?
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Placeholder(placeholder) => Some(placeholder),
            Piece::Text(_) => None,
        })
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn placeholder(name: &str, byte: usize, char: usize) -> Piece<'_> {
        Piece::Placeholder(Placeholder { name, byte, char })
    }

    #[test]
    fn text_and_placeholders_in_order() {
        assert_eq!(
            parse("https://{tenant}.example.com/{v}").unwrap(),
            [
                Piece::Text("https://"),
                placeholder("tenant", 8, 8),
                Piece::Text(".example.com/"),
                placeholder("v", 29, 29),
            ]
        );
        assert_eq!(parse("").unwrap(), []);
        assert_eq!(parse("plain").unwrap(), [Piece::Text("plain")]);
        assert_eq!(parse("{a}{b.c-d_1}").unwrap().len(), 2);
    }

    #[test]
    fn offsets_count_bytes_and_characters_apart() {
        let found = placeholders("é/{x}").unwrap();
        assert_eq!((found[0].byte, found[0].char), (3, 2));
    }

    #[test]
    fn every_malformed_template_is_located() {
        let cases = [
            ("/a/{id", ErrorKind::Unclosed, 3),
            ("/a/}", ErrorKind::UnmatchedClose, 3),
            ("/{a{b}", ErrorKind::Nested, 3),
            ("/a/{}", ErrorKind::Empty, 3),
            ("/a/{b c}", ErrorKind::BadName, 3),
        ];
        for (template, kind, char) in cases {
            let error = parse(template).unwrap_err();
            assert_eq!((error.kind, error.char), (kind, char), "{template}");
            assert!(!error.to_string().is_empty());
        }
    }
}
