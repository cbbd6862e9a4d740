//! `{placeholder}` templates: base URLs (`https://{tenant}.chronosphere.io`), auth values
//! (`Token token={api_token}`) and path templates. One parser, so every template means the
//! same thing wherever it is filled.

/// One piece of a template, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'t> {
    /// Text copied as is.
    Text(&'t str),
    /// `{name}`, found at byte `at` of the template.
    Placeholder { name: &'t str, at: usize },
}

/// A `{` without its `}`, at byte `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unclosed {
    pub(crate) at: usize,
}

/// The pieces of `template`, or where a `{` is left open.
pub(crate) fn parse(template: &str) -> Result<Vec<Piece<'_>>, Unclosed> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let at = template.len() - rest.len() + open;
        let close = rest[open..].find('}').ok_or(Unclosed { at })?;
        if open > 0 {
            pieces.push(Piece::Text(&rest[..open]));
        }
        pieces.push(Piece::Placeholder {
            name: &rest[open + 1..open + close],
            at,
        });
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_and_placeholders_in_order() {
        assert_eq!(
            parse("https://{tenant}.example.com/{x}").unwrap(),
            [
                Piece::Text("https://"),
                Piece::Placeholder {
                    name: "tenant",
                    at: 8
                },
                Piece::Text(".example.com/"),
                Piece::Placeholder { name: "x", at: 29 },
            ]
        );
        assert_eq!(parse("").unwrap(), []);
        assert_eq!(parse("plain").unwrap(), [Piece::Text("plain")]);
    }

    #[test]
    fn an_open_brace_is_located() {
        assert_eq!(parse("a{b}c{d").unwrap_err(), Unclosed { at: 5 });
    }
}
