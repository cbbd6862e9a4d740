//! YAML text to a tree of nodes that remember where they start.
//!
//! `serde_yaml` forgets locations once a value is deserialized, and every check after parsing
//! needs them, so docs are parsed here from `saphyr-parser` events instead. The tree keeps what
//! validation needs and nothing else: the raw text and quoting of scalars (so `"123"` stays a
//! string and `123` resolves to an integer), mapping entries in document order *including
//! duplicates* (so a duplicate key is reported, not silently dropped), and the position of every
//! node and every key. Aliases are expanded (within a budget); anchors are otherwise invisible.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Pos {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// One YAML node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) pos: Pos,
    pub(crate) value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in document order; duplicate keys are kept so validation can report them.
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) key: Node,
    pub(crate) value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scalar {
    pub(crate) text: String,
    /// Plain (unquoted, not a block scalar) text is resolved by the YAML 1.2 core schema;
    /// anything quoted or written as a block is always a string.
    pub(crate) plain: bool,
    /// Written as a `|` or `>` block, so the text does not start where the node does.
    pub(crate) block: bool,
}

/// What a scalar means under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Scalar {
    pub(crate) fn resolve(&self) -> Resolved<'_> {
        if !self.plain {
            return Resolved::Str(&self.text);
        }
        let text = self.text.as_str();
        match text {
            "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
            "true" | "True" | "TRUE" => return Resolved::Bool(true),
            "false" | "False" | "FALSE" => return Resolved::Bool(false),
            _ => {}
        }
        if let Some(int) = parse_int(text) {
            return Resolved::Int(int);
        }
        let float_chars = text
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
        if float_chars
            && text.chars().any(|c| c.is_ascii_digit())
            && let Ok(float) = text.parse::<f64>()
        {
            return Resolved::Float(float);
        }
        Resolved::Str(text)
    }
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl Node {
    pub(crate) fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub(crate) fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The first entry with this key (keys are compared as text).
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .find(|entry| entry.key.as_scalar().is_some_and(|k| k.text == key))
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(scalar) if scalar.resolve() == Resolved::Null)
    }

    /// How the node reads in a message: "a mapping", "a list", "the string `x`", ...
    pub(crate) fn describe(&self) -> String {
        match &self.value {
            Value::Map(_) => "a mapping".to_owned(),
            Value::Seq(_) => "a list".to_owned(),
            Value::Scalar(scalar) => match scalar.resolve() {
                Resolved::Null => "nothing (null)".to_owned(),
                Resolved::Bool(b) => format!("the boolean `{b}`"),
                Resolved::Int(_) => format!("the integer `{}`", scalar.text),
                Resolved::Float(_) => format!("the number `{}`", scalar.text),
                Resolved::Str(s) => format!("the string `{}`", abbreviate(s)),
            },
        }
    }
}

fn abbreviate(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.chars().count() > 40 || first_line.len() < text.trim_end().len() {
        let short: String = first_line.chars().take(40).collect();
        format!("{short}...")
    } else {
        first_line.to_owned()
    }
}

/// A document that could not be read as YAML (or uses YAML we refuse: tags, several documents).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxError {
    pub(crate) pos: Pos,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

/// How many nodes alias expansion may add before the document is refused ("billion laughs").
const ALIAS_BUDGET: usize = 100_000;

/// Parses one YAML document. An empty document is an empty mapping.
pub(crate) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(scan_error)?;
        builder.on_event(event, span)?;
    }
    Ok(builder.root.unwrap_or(Node {
        pos: Pos { line: 1, column: 1 },
        value: Value::Map(Vec::new()),
    }))
}

fn pos(span: &Span) -> Pos {
    Pos {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

fn scan_error(error: ScanError) -> SyntaxError {
    let marker = error.marker();
    let info = error.info();
    let hint = if info.contains("mapping values are not allowed") {
        Some("quote values that contain `: `, and check the indentation of this line".to_owned())
    } else if info.contains("did not find expected") || info.contains("while parsing") {
        Some(
            "check the indentation and any unclosed quote, `[` or `{` before this point".to_owned(),
        )
    } else {
        None
    };
    SyntaxError {
        pos: Pos {
            line: marker.line(),
            column: marker.col() + 1,
        },
        message: format!("invalid YAML: {info}"),
        hint,
    }
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    documents: usize,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        let at = pos(&span);
        match event {
            Event::DocumentStart(_) => self.document_start(at)?,
            Event::Scalar(text, style, anchor, tag) => {
                let scalar = scalar(text.into_owned(), style, tag.as_deref(), at)?;
                let node = Node {
                    pos: at,
                    value: Value::Scalar(scalar),
                };
                self.complete(node, anchor, 1);
            }
            Event::SequenceStart(anchor, tag) => {
                reject_collection_tag(tag.is_some(), at)?;
                self.stack.push(Frame::Seq {
                    pos: at,
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, tag) => {
                reject_collection_tag(tag.is_some(), at)?;
                self.stack.push(Frame::Map {
                    pos: at,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => self.collection_end(),
            Event::Alias(id) => self.alias(id, at)?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// A doc file holds exactly one document.
    fn document_start(&mut self, at: Pos) -> Result<(), SyntaxError> {
        self.documents += 1;
        if self.documents > 1 {
            return Err(SyntaxError {
                pos: at,
                message: "found a second YAML document; a doc file holds exactly one".to_owned(),
                hint: Some(
                    "remove the `---` line, or move this document to its own file".to_owned(),
                ),
            });
        }
        Ok(())
    }

    /// Closes the innermost list or mapping and attaches it to its parent.
    fn collection_end(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (node, anchor) = match frame {
            Frame::Seq { pos, anchor, items } => (
                Node {
                    pos,
                    value: Value::Seq(items),
                },
                anchor,
            ),
            Frame::Map {
                pos,
                anchor,
                entries,
                ..
            } => (
                Node {
                    pos,
                    value: Value::Map(entries),
                },
                anchor,
            ),
        };
        let size = count(&node);
        self.complete(node, anchor, size);
    }

    /// Expands an alias, within [`ALIAS_BUDGET`].
    fn alias(&mut self, id: usize, at: Pos) -> Result<(), SyntaxError> {
        let Some((node, size)) = self.anchors.get(&id).cloned() else {
            return Err(SyntaxError {
                pos: at,
                message: "unknown YAML alias".to_owned(),
                hint: None,
            });
        };
        self.alias_nodes += size;
        if self.alias_nodes > ALIAS_BUDGET {
            return Err(SyntaxError {
                pos: at,
                message: format!("aliases expand to more than {ALIAS_BUDGET} nodes"),
                hint: Some(
                    "write the repeated content out, or use fewer nested aliases".to_owned(),
                ),
            });
        }
        self.complete(node, 0, size);
        Ok(())
    }

    /// Attaches a finished node to its parent (or makes it the root).
    fn complete(&mut self, node: Node, anchor: usize, size: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(key) => entries.push(Entry { key, value: node }),
                None => *key = Some(node),
            },
            None => self.root = Some(node),
        }
    }
}

/// A scalar's text and style; `!!str` is the only tag accepted (it makes the value a string).
fn scalar(
    text: String,
    style: ScalarStyle,
    tag: Option<&Tag>,
    at: Pos,
) -> Result<Scalar, SyntaxError> {
    let mut plain = style == ScalarStyle::Plain;
    let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() && tag.suffix == "str" {
            plain = false;
        } else {
            return Err(SyntaxError {
                pos: at,
                message: format!("unsupported YAML tag `{tag}`"),
                hint: Some("remove the tag; quote the value to make it a string".to_owned()),
            });
        }
    }
    Ok(Scalar { text, plain, block })
}

fn reject_collection_tag(tagged: bool, at: Pos) -> Result<(), SyntaxError> {
    if tagged {
        return Err(SyntaxError {
            pos: at,
            message: "unsupported YAML tag on a list or mapping".to_owned(),
            hint: Some("remove the tag".to_owned()),
        });
    }
    Ok(())
}

fn count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Scalar(_) => 0,
        Value::Seq(items) => items.iter().map(count).sum(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| count(&e.key) + count(&e.value))
            .sum(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }

    #[test]
    fn keys_and_values_know_where_they_start() {
        let doc = parse("# comment\nname: teams\nmethods:\n  list:\n    http: GET /x\n").unwrap();
        assert_eq!(doc.entry("name").unwrap().key.pos, at(2, 1));
        assert_eq!(doc.entry("name").unwrap().value.pos, at(2, 7));
        let list = &doc
            .entry("methods")
            .unwrap()
            .value
            .entry("list")
            .unwrap()
            .value;
        assert_eq!(list.entry("http").unwrap().key.pos, at(5, 5));
        assert_eq!(list.entry("http").unwrap().value.pos, at(5, 11));
    }

    #[test]
    fn duplicates_are_kept_in_order() {
        let doc = parse("a: 1\nb: 2\na: 3\n").unwrap();
        let keys: Vec<_> = doc
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_scalar().unwrap().text.clone())
            .collect();
        assert_eq!(keys, ["a", "b", "a"]);
    }

    #[test]
    fn scalars_resolve_by_the_core_schema_unless_quoted() {
        let doc = parse("a: 12\nb: '12'\nc: true\nd: ~\ne:\nf: 1.5\ng: x\nh: !!str 7\n").unwrap();
        let resolved = |key: &str| doc.entry(key).unwrap().value.as_scalar().unwrap().resolve();
        assert_eq!(resolved("a"), Resolved::Int(12));
        assert_eq!(resolved("b"), Resolved::Str("12"));
        assert_eq!(resolved("c"), Resolved::Bool(true));
        assert_eq!(resolved("d"), Resolved::Null);
        assert_eq!(resolved("e"), Resolved::Null);
        assert_eq!(resolved("f"), Resolved::Float(1.5));
        assert_eq!(resolved("g"), Resolved::Str("x"));
        assert_eq!(resolved("h"), Resolved::Str("7"));
    }

    #[test]
    fn aliases_expand_and_syntax_errors_have_positions() {
        let doc = parse("a: &x {k: v}\nb: *x\n").unwrap();
        assert_eq!(
            doc.entry("b")
                .unwrap()
                .value
                .entry("k")
                .unwrap()
                .value
                .as_scalar()
                .unwrap()
                .text,
            "v"
        );

        let error = parse("a: b\n  c: d\n").unwrap_err();
        assert_eq!(error.pos.line, 2);
        assert!(
            error.message.starts_with("invalid YAML: "),
            "{}",
            error.message
        );

        let error = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(error.pos, at(2, 1));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let prev = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        assert!(parse(&text).unwrap_err().message.contains("aliases expand"));
    }
}
