//! `{name}` placeholders in base URLs, auth values and HTTP paths.

/// One `{name}` and the character offset of its `{` in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placeholder {
    pub(crate) name: String,
    pub(crate) offset: usize,
}

/// A malformed template: the character offset of the problem and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    pub(crate) offset: usize,
    pub(crate) message: String,
}

/// One piece of a template, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Placeholder(Placeholder),
}

/// The placeholders of `text`, in order. Names may use letters, digits, `_`, `.` and `-`.
pub(crate) fn placeholders(text: &str) -> Result<Vec<Placeholder>, TemplateError> {
    Ok(pieces(text)?
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Placeholder(placeholder) => Some(placeholder),
            Piece::Text(_) => None,
        })
        .collect())
}

/// The text and placeholders of `text`, in order.
pub(crate) fn pieces(text: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut found = Vec::new();
    let mut literal = String::new();
    let mut open: Option<(usize, String)> = None;
    for (offset, c) in text.chars().enumerate() {
        match (c, open.as_mut()) {
            ('{', None) => {
                if !literal.is_empty() {
                    found.push(Piece::Text(std::mem::take(&mut literal)));
                }
                open = Some((offset, String::new()));
            }
            ('{', Some(_)) => return Err(error(offset, "`{` inside a placeholder")),
            ('}', None) => return Err(error(offset, "`}` without a matching `{`")),
            ('}', Some((start, name))) => {
                if name.is_empty() {
                    return Err(error(*start, "empty placeholder `{}`"));
                }
                found.push(Piece::Placeholder(Placeholder {
                    name: std::mem::take(name),
                    offset: *start,
                }));
                open = None;
            }
            (c, Some((start, name))) => {
                if !(c.is_ascii_alphanumeric() || "_.-".contains(c)) {
                    return Err(error(
                        *start,
                        "placeholder names may only use letters, digits, `_`, `.` and `-`",
                    ));
                }
                name.push(c);
            }
            (c, None) => literal.push(c),
        }
    }
    if let Some((start, _)) = open {
        return Err(error(start, "`{` without a closing `}`"));
    }
    if !literal.is_empty() {
        found.push(Piece::Text(literal));
    }
    Ok(found)
}

fn error(offset: usize, message: &str) -> TemplateError {
    TemplateError {
        offset,
        message: message.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_and_their_offsets() {
        let found = placeholders("https://{tenant}.example.com/{v}").unwrap();
        let names: Vec<_> = found.iter().map(|p| (p.name.as_str(), p.offset)).collect();
        assert_eq!(names, [("tenant", 8), ("v", 29)]);
        assert!(placeholders("no placeholders").unwrap().is_empty());
    }

    #[test]
    fn rejects_malformed_templates() {
        assert_eq!(placeholders("/a/{id").unwrap_err().offset, 3);
        assert_eq!(placeholders("/a/}").unwrap_err().offset, 3);
        assert_eq!(
            placeholders("/a/{}").unwrap_err().message,
            "empty placeholder `{}`"
        );
        assert!(placeholders("/a/{b c}").is_err());
    }
}
