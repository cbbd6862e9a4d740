//! A parsed doc file seen by the semantic checks: where a value sits, and how to say so.
//!
//! Once a file has been deserialized, its values no longer know their positions; checks find
//! them again here by their key path (`["methods", "list", "http"]`). A path that does not
//! exist (a defaulted key) falls back to the deepest ancestor that does, so every diagnostic
//! still points somewhere useful.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::load::yaml::{Node, Pos};

#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub(crate) file: &'a Path,
    pub(crate) tree: &'a Node,
}

/// Which part of an entry to point at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Key,
    Value,
}

impl<'a> Source<'a> {
    pub(crate) fn new(file: &'a Path, tree: &'a Node) -> Self {
        Self { file, tree }
    }

    /// Where the key at `path` starts (`name:` in `name: teams`).
    pub(crate) fn key<S: AsRef<str>>(&self, path: &[S]) -> Pos {
        self.find(path, Part::Key)
    }

    /// Where the value at `path` starts (`teams` in `name: teams`).
    pub(crate) fn value<S: AsRef<str>>(&self, path: &[S]) -> Pos {
        self.find(path, Part::Value)
    }

    /// Where the character at `offset` of the string value at `path` sits, when the value is
    /// written on one line (plain or quoted); otherwise where the value starts.
    pub(crate) fn value_at_char<S: AsRef<str>>(&self, path: &[S], offset: usize) -> Pos {
        let pos = self.value(path);
        match self.node(path).and_then(Node::as_scalar) {
            Some(scalar) if scalar.block || scalar.text.contains(['\\', '\'', '\n']) => pos,
            Some(scalar) => {
                let quote = usize::from(!scalar.plain);
                Pos {
                    line: pos.line,
                    column: pos.column + quote + offset,
                }
            }
            None => pos,
        }
    }

    /// The node at `path`, if present.
    pub(crate) fn node<S: AsRef<str>>(&self, path: &[S]) -> Option<&'a Node> {
        let mut node = self.tree;
        for segment in path {
            node = child(node, segment.as_ref())?.1;
        }
        Some(node)
    }

    pub(crate) fn error(
        &self,
        pos: Pos,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: self.file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            hint,
        }
    }

    fn find<S: AsRef<str>>(&self, path: &[S], part: Part) -> Pos {
        let mut node = self.tree;
        let mut pos = self.tree.pos;
        for (i, segment) in path.iter().enumerate() {
            let Some((key_pos, next)) = child(node, segment.as_ref()) else {
                return pos;
            };
            let last = i + 1 == path.len();
            pos = if last && part == Part::Value {
                next.pos
            } else {
                key_pos
            };
            node = next;
        }
        pos
    }
}

/// The child under `segment` and the position of its key (or of the item, in a list).
fn child<'n>(node: &'n Node, segment: &str) -> Option<(Pos, &'n Node)> {
    if let Some(items) = node.as_seq() {
        let item = items.get(segment.parse::<usize>().ok()?)?;
        return Some((item.pos, item));
    }
    let entry = node.entry(segment)?;
    Some((entry.key.pos, &entry.value))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;

    #[test]
    fn finds_keys_values_and_falls_back_to_ancestors() {
        let tree = parse("a:\n  b: [x, y]\n  c: 1\n").unwrap();
        let source = Source::new(Path::new("f.yaml"), &tree);
        assert_eq!(source.key(&["a", "c"]), Pos { line: 3, column: 3 });
        assert_eq!(source.value(&["a", "c"]), Pos { line: 3, column: 6 });
        assert_eq!(
            source.value(&["a", "b", "1"]),
            Pos {
                line: 2,
                column: 10
            }
        );
        assert_eq!(
            source.value(&["a", "missing", "deeper"]),
            Pos { line: 1, column: 1 }
        );
        assert!(source.node(&["a", "b", "0"]).is_some());
    }
}
