//! Checks a YAML tree against the format's derived JSON Schema and turns it into JSON.
//!
//! This is the structural half of validation: unknown keys (with "did you mean"), missing
//! keys, wrong value types, unknown enum values and tagged unions (`auth.type`,
//! `pagination.style`). It understands exactly the JSON Schema that schemars derives from
//! [`crate::docs`] (`$ref`, `oneOf`/`anyOf`, `const`, `enum`, `type`, `properties`,
//! `additionalProperties`, `items`, `minimum`), so the published schema and these checks are
//! one definition. Every problem in the file is reported; the JSON comes back only when none
//! of them makes the file's meaning uncertain (an unknown key is reported and dropped, a value
//! of the wrong type is not guessed at).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::{Map, Number, Value as Json};

use super::keywords;
use super::suggest::{closest, did_you_mean, list};
use crate::diagnostics::Diagnostic;
use crate::load::yaml::{Node, Pos, Resolved, Value};

/// The schema that accepts anything.
static ANY: Json = Json::Bool(true);

/// The `$defs` entry that holds the doc's JSON Schema subset (gets extra keyword checks).
pub(crate) const SCHEMA_DEF: &str = "Schema";

/// The result of checking one file.
pub(crate) struct Checked {
    /// The JSON to deserialize, or `None` when a problem (already reported) leaves the file's
    /// meaning uncertain.
    pub(crate) json: Option<Json>,
    /// Where "missing key" was reported. A missing text key is filled with `""` so the rest of
    /// the file is still checked; later checks must not report the same hole again there.
    pub(crate) missing_at: Vec<Pos>,
}

/// Checks `tree` against `schema` (a root schema with `$defs`).
pub(crate) fn check(
    schema: &Json,
    tree: &Node,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Checked {
    let mut walker = Walker {
        root: schema,
        file,
        diagnostics,
        sound: true,
        missing_at: Vec::new(),
    };
    let at = At {
        path: Vec::new(),
        owner: tree.pos,
        def: None,
    };
    let value = walker.walk(tree, schema, &at);
    Checked {
        json: if walker.sound { value } else { None },
        missing_at: walker.missing_at,
    }
}

/// Where the walker is: the key path (for messages), the position of the key that holds the
/// current node (for "missing key" errors) and the `$defs` entry being checked.
#[derive(Clone)]
pub(crate) struct At<'s> {
    pub(crate) path: Vec<String>,
    pub(crate) owner: Pos,
    pub(crate) def: Option<&'s str>,
}

impl<'s> At<'s> {
    /// A child node; its schema only gets a `$defs` name again through a `$ref`.
    fn child(&self, key: &str, owner: Pos) -> Self {
        let mut path = self.path.clone();
        path.push(key.to_owned());
        Self {
            path,
            owner,
            def: None,
        }
    }

    /// "`methods.list`", for messages.
    fn dotted(&self) -> String {
        self.path.join(".")
    }

    /// The key that holds the current node, or "the document".
    fn name(&self) -> String {
        match self.path.last() {
            Some(key) => format!("`{key}`"),
            None => "the document".to_owned(),
        }
    }
}

pub(crate) struct Walker<'s, 'd> {
    root: &'s Json,
    file: &'s Path,
    diagnostics: &'d mut Vec<Diagnostic>,
    /// False once a problem makes the file's meaning uncertain.
    sound: bool,
    missing_at: Vec<Pos>,
}

impl<'s> Walker<'s, '_> {
    /// Reports a problem that leaves the file's meaning uncertain.
    pub(crate) fn error(&mut self, pos: Pos, message: String, hint: Option<String>) {
        self.sound = false;
        self.warn(pos, message, hint);
    }

    /// Reports a problem whose part of the file can simply be left out (an unknown key).
    pub(crate) fn warn(&mut self, pos: Pos, message: String, hint: Option<String>) {
        self.diagnostics.push(Diagnostic {
            file: self.file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            message,
            hint,
        });
    }

    fn walk(&mut self, node: &Node, schema: &'s Json, at: &At<'s>) -> Option<Json> {
        let schema = match schema {
            Json::Bool(true) => return self.any(node),
            Json::Object(schema) => schema,
            _ => return self.any(node),
        };
        if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
            let (def, target) = self.resolve(reference)?;
            let at = At {
                def: Some(def),
                ..at.clone()
            };
            return self.walk(node, target, &at);
        }
        if let Some(branches) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Json::as_array)
        {
            return self.choose(node, branches, at);
        }
        let types = types_of(schema);
        if node.is_null() && types.contains(&"null") {
            return Some(Json::Null);
        }
        if let Some(constant) = schema.get("const").and_then(Json::as_str) {
            return self.one_of_words(node, &[constant], at);
        }
        if let Some(words) = schema.get("enum").and_then(Json::as_array) {
            let words: Vec<&str> = words.iter().filter_map(Json::as_str).collect();
            return self.one_of_words(node, &words, at);
        }
        match types.iter().copied().find(|t| *t != "null") {
            Some("object") => self.object(node, schema, at),
            Some("array") => self.array(node, schema, at),
            Some("string") => self.string(node, at),
            Some("boolean") => match scalar(node) {
                Some(Resolved::Bool(b)) => Some(Json::Bool(b)),
                _ => self.mismatch(node, "`true` or `false`", at),
            },
            Some("integer") => self.integer(node, schema, at),
            Some("number") => match scalar(node) {
                Some(Resolved::Int(i)) => Some(Json::from(i)),
                Some(Resolved::Float(f)) => Number::from_f64(f).map(Json::Number),
                _ => self.mismatch(node, "a number", at),
            },
            _ => self.any(node),
        }
    }

    fn resolve(&mut self, reference: &str) -> Option<(&'s str, &'s Json)> {
        let def = reference.strip_prefix("#/$defs/")?;
        let (name, target) = self.root.get("$defs")?.as_object()?.get_key_value(def)?;
        Some((name.as_str(), target))
    }

    fn object(&mut self, node: &Node, schema: &'s Map<String, Json>, at: &At<'s>) -> Option<Json> {
        let Some(entries) = node.as_map() else {
            return self.mismatch(node, "a mapping", at);
        };
        let mut skip = BTreeSet::new();
        if at.def == Some(SCHEMA_DEF) {
            for refusal in keywords::check(entries) {
                self.warn(refusal.pos, refusal.message, Some(refusal.hint));
                skip.insert(refusal.key);
            }
        }
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties");
        let mut out = Map::new();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        let mut seen: HashMap<String, Pos> = HashMap::new();
        let mut misspelled: BTreeSet<&str> = BTreeSet::new();
        let mut sound = true;
        for entry in entries {
            let Some(key) = entry.key.as_scalar().map(|k| k.text.clone()) else {
                self.error(
                    entry.key.pos,
                    "keys must be plain names, not lists or mappings".to_owned(),
                    None,
                );
                continue;
            };
            if let Some(first) = seen.get(&key) {
                let hint = format!(
                    "the first `{key}` is on line {}; remove one of them",
                    first.line
                );
                self.error(entry.key.pos, format!("duplicate key `{key}`"), Some(hint));
                continue;
            }
            seen.insert(key.clone(), entry.key.pos);
            if skip.contains(&key) {
                continue;
            }
            // An empty value (`tags:`) means the same as leaving an optional key out.
            let is_property = properties.is_some_and(|p| p.contains_key(&key));
            if is_property && entry.value.is_null() && !required.contains(&key.as_str()) {
                continue;
            }
            let value_schema = match (properties.and_then(|p| p.get(&key)), additional) {
                (Some(property), _) => property,
                (None, Some(extra @ (Json::Object(_) | Json::Bool(true)))) => extra,
                (None, None) => &ANY,
                (None, Some(_)) => {
                    let known: Vec<&str> = properties
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    misspelled.extend(self.unknown_key(entry, &key, &known, at));
                    continue;
                }
            };
            match self.walk(&entry.value, value_schema, &at.child(&key, entry.key.pos)) {
                Some(value) => {
                    out.insert(key, value);
                }
                None => sound = false,
            }
        }
        for required in required {
            if seen.contains_key(required) {
                continue;
            }
            let text = properties
                .and_then(|p| p.get(required))
                .is_some_and(|p| types_of_json(p) == ["string"]);
            // A misspelling of the key was reported already, with "did you mean".
            if !misspelled.contains(required) {
                let place = if at.path.is_empty() {
                    String::new()
                } else {
                    format!(" in `{}`", at.dotted())
                };
                let message = format!("missing key `{required}`{place}");
                let hint = missing_hint(at.def, required);
                if text {
                    self.warn(at.owner, message, hint)
                } else {
                    self.error(at.owner, message, hint)
                }
            }
            if text {
                self.missing_at.push(at.owner);
                out.insert(required.to_owned(), Json::String(String::new()));
            } else {
                sound = false;
            }
        }
        sound.then_some(Json::Object(out))
    }

    /// Reports an unknown key; returns the known key it is probably a misspelling of.
    fn unknown_key<'k>(
        &mut self,
        entry: &crate::load::yaml::Entry,
        key: &str,
        known: &[&'k str],
        at: &At<'s>,
    ) -> Option<&'k str> {
        let closest = closest(key, known.iter().copied());
        let suggestion = closest.map(|c| format!("did you mean `{c}`?"));
        match at.def {
            Some("Methods") => {
                let hint = suggestion.unwrap_or_else(|| {
                    format!(
                        "the method kinds are {}; put other methods under `custom_methods`",
                        list(known, "and")
                    )
                });
                self.warn(
                    entry.key.pos,
                    format!("unknown method kind `{key}`"),
                    Some(hint),
                );
            }
            Some(SCHEMA_DEF) => {
                let hint = suggestion.unwrap_or_else(|| keywords::unsupported_hint(key));
                self.warn(
                    entry.key.pos,
                    format!("unknown schema keyword `{key}`"),
                    Some(hint),
                );
            }
            _ => {
                let hint = suggestion.or_else(|| {
                    let place = if at.path.is_empty() {
                        "here".to_owned()
                    } else {
                        format!("in `{}`", at.dotted())
                    };
                    Some(format!(
                        "the keys allowed {place} are {}",
                        list(known, "and")
                    ))
                });
                self.warn(entry.key.pos, format!("unknown key `{key}`"), hint);
            }
        }
        closest
    }

    fn array(&mut self, node: &Node, schema: &'s Map<String, Json>, at: &At<'s>) -> Option<Json> {
        let Some(items) = node.as_seq() else {
            return self.mismatch(node, "a list", at);
        };
        let item_schema = schema.get("items").unwrap_or(&ANY);
        let mut out = Vec::with_capacity(items.len());
        let mut sound = true;
        for (i, item) in items.iter().enumerate() {
            match self.walk(item, item_schema, &at.child(&i.to_string(), item.pos)) {
                Some(value) => out.push(value),
                None => sound = false,
            }
        }
        sound.then_some(Json::Array(out))
    }

    fn string(&mut self, node: &Node, at: &At<'s>) -> Option<Json> {
        match &node.value {
            Value::Scalar(scalar) => match scalar.resolve() {
                // Plain numbers are kept as written: `version: 1.10` means the text "1.10".
                Resolved::Str(_) | Resolved::Int(_) | Resolved::Float(_) => {
                    Some(Json::String(scalar.text.clone()))
                }
                Resolved::Bool(_) | Resolved::Null => self.mismatch(node, "a string", at),
            },
            _ => self.mismatch(node, "a string", at),
        }
    }

    fn integer(&mut self, node: &Node, schema: &Map<String, Json>, at: &At<'s>) -> Option<Json> {
        let Some(Resolved::Int(value)) = scalar(node) else {
            return self.mismatch(node, "an integer", at);
        };
        if let Some(minimum) = schema.get("minimum").and_then(Json::as_i64)
            && value < minimum
        {
            let message = format!("{} must be at least {minimum}, found `{value}`", at.name());
            self.error(node.pos, message, None);
            return None;
        }
        Some(Json::from(value))
    }

    fn one_of_words(&mut self, node: &Node, words: &[&str], at: &At<'s>) -> Option<Json> {
        let text = match scalar(node) {
            Some(Resolved::Str(text)) => text,
            _ => return self.mismatch(node, &list(words, "or"), at),
        };
        if words.contains(&text) {
            return Some(Json::String(text.to_owned()));
        }
        let hint = did_you_mean(text, words.iter().copied())
            .unwrap_or_else(|| format!("expected {}", list(words, "or")));
        self.error(
            node.pos,
            format!("unknown value `{text}` for {}", at.name()),
            Some(hint),
        );
        None
    }

    /// `oneOf`/`anyOf`: a tagged union (every branch an object with a `const` tag), or branches
    /// told apart by the kind of node (`none` versus a mapping).
    fn choose(&mut self, node: &Node, branches: &'s [Json], at: &At<'s>) -> Option<Json> {
        let mut resolved: Vec<(Option<&'s str>, &'s Json)> = Vec::new();
        for branch in branches {
            let target = match branch.get("$ref").and_then(Json::as_str) {
                Some(reference) => match self.resolve(reference) {
                    Some((def, target)) => (Some(def), target),
                    None => continue,
                },
                None => (at.def, branch),
            };
            resolved.push(target);
        }
        let (nulls, real): (Vec<_>, Vec<_>) = resolved
            .into_iter()
            .partition(|(_, s)| types_of_json(s) == ["null"]);
        if node.is_null() && !nulls.is_empty() {
            return Some(Json::Null);
        }
        if let [(def, schema)] = real.as_slice() {
            return self.walk(
                node,
                schema,
                &At {
                    def: *def,
                    ..at.clone()
                },
            );
        }
        if let Some(tag) = discriminator(&real) {
            return self.tagged(node, tag, &real, at);
        }
        let fitting: Vec<_> = real
            .iter()
            .filter(|(_, s)| self.accepts_kind(s, node))
            .collect();
        match fitting.as_slice() {
            [] => {
                let kinds: Vec<&str> = real.iter().map(|(_, s)| self.kind_name(s)).collect();
                self.mismatch(node, &kinds.join(" or "), at)
            }
            [(def, schema), ..] => self.walk(
                node,
                schema,
                &At {
                    def: *def,
                    ..at.clone()
                },
            ),
        }
    }

    fn tagged(
        &mut self,
        node: &Node,
        tag: &str,
        variants: &[(Option<&'s str>, &'s Json)],
        at: &At<'s>,
    ) -> Option<Json> {
        let words: Vec<&str> = variants
            .iter()
            .filter_map(|(_, s)| tag_value(s, tag))
            .collect();
        if node.as_map().is_none() {
            return self.mismatch(node, &format!("a mapping with `{tag}`"), at);
        }
        let Some(entry) = node.entry(tag) else {
            let hint = format!("`{tag}` is one of {}", list(&words, "or"));
            self.error(
                at.owner,
                format!("missing key `{tag}` in `{}`", at.dotted()),
                Some(hint),
            );
            return None;
        };
        let value = match scalar(&entry.value) {
            Some(Resolved::Str(value)) => value,
            _ => {
                return self.mismatch(
                    &entry.value,
                    &list(&words, "or"),
                    &at.child(tag, entry.key.pos),
                );
            }
        };
        let Some((def, schema)) = variants
            .iter()
            .find(|(_, s)| tag_value(s, tag) == Some(value))
        else {
            let hint = did_you_mean(value, words.iter().copied())
                .unwrap_or_else(|| format!("expected {}", list(&words, "or")));
            self.error(
                entry.value.pos,
                format!("unknown {tag} `{value}` for {}", at.name()),
                Some(hint),
            );
            return None;
        };
        self.walk(
            node,
            schema,
            &At {
                def: *def,
                ..at.clone()
            },
        )
    }

    fn accepts_kind(&mut self, schema: &'s Json, node: &Node) -> bool {
        let kind = self.kind_name(schema);
        match &node.value {
            Value::Map(_) => kind == "a mapping",
            Value::Seq(_) => kind == "a list",
            Value::Scalar(_) => kind != "a mapping" && kind != "a list",
        }
    }

    fn kind_name(&mut self, schema: &'s Json) -> &'static str {
        let mut schema = schema;
        while let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
            match self.resolve(reference) {
                Some((_, target)) => schema = target,
                None => break,
            }
        }
        if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            return "a mapping";
        }
        match types_of_json(schema).into_iter().find(|t| *t != "null") {
            Some("object") => "a mapping",
            Some("array") => "a list",
            Some("boolean") => "`true` or `false`",
            Some("integer") => "an integer",
            Some("number") => "a number",
            _ => "a string",
        }
    }

    fn mismatch(&mut self, node: &Node, expected: &str, at: &At<'s>) -> Option<Json> {
        let message = format!(
            "expected {expected} for {}, found {}",
            at.name(),
            node.describe()
        );
        self.error(node.pos, message, mismatch_hint(node, expected));
        None
    }

    /// Any JSON value (`examples`, `default`).
    fn any(&mut self, node: &Node) -> Option<Json> {
        match &node.value {
            Value::Scalar(scalar) => Some(match scalar.resolve() {
                Resolved::Null => Json::Null,
                Resolved::Bool(b) => Json::Bool(b),
                Resolved::Int(i) => Json::from(i),
                Resolved::Float(f) => Number::from_f64(f)
                    .map_or_else(|| Json::String(scalar.text.clone()), Json::Number),
                Resolved::Str(s) => Json::String(s.to_owned()),
            }),
            Value::Seq(items) => items
                .iter()
                .map(|item| self.any(item))
                .collect::<Option<Vec<_>>>()
                .map(Json::Array),
            Value::Map(entries) => {
                let mut out = Map::new();
                for entry in entries {
                    let Some(key) = entry.key.as_scalar() else {
                        self.error(
                            entry.key.pos,
                            "keys must be plain names, not lists or mappings".to_owned(),
                            None,
                        );
                        return None;
                    };
                    if out.contains_key(&key.text) {
                        self.error(entry.key.pos, format!("duplicate key `{}`", key.text), None);
                        return None;
                    }
                    let value = self.any(&entry.value)?;
                    out.insert(key.text.clone(), value);
                }
                Some(Json::Object(out))
            }
        }
    }
}

fn scalar(node: &Node) -> Option<Resolved<'_>> {
    node.as_scalar().map(|s| s.resolve())
}

fn types_of(schema: &Map<String, Json>) -> Vec<&str> {
    match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn types_of_json(schema: &Json) -> Vec<&str> {
    schema.as_object().map(types_of).unwrap_or_default()
}

/// The property every branch pins with a `const` (`type`, `style`), if there is one.
fn discriminator<'s>(branches: &[(Option<&'s str>, &'s Json)]) -> Option<&'s str> {
    let (_, first) = branches.first()?;
    let properties = first.get("properties")?.as_object()?;
    properties.keys().map(String::as_str).find(|tag| {
        branches
            .iter()
            .all(|(_, branch)| tag_value(branch, tag).is_some())
    })
}

fn tag_value<'s>(branch: &'s Json, tag: &str) -> Option<&'s str> {
    branch.get("properties")?.get(tag)?.get("const")?.as_str()
}

fn mismatch_hint(node: &Node, expected: &str) -> Option<String> {
    // `value: {api_token}` is a YAML mapping, not a template.
    if let Some([entry]) = node.as_map()
        && entry.value.is_null()
        && expected == "a string"
        && let Some(key) = entry.key.as_scalar()
    {
        return Some(format!(
            "quote values that start with `{{`: `\"{{{}}}\"`",
            key.text
        ));
    }
    match (expected, scalar(node)) {
        ("a string", Some(Resolved::Bool(_))) => {
            let text = node
                .as_scalar()
                .map(|s| s.text.as_str())
                .unwrap_or_default();
            Some(format!("quote it to make it a string: `\"{text}\"`"))
        }
        ("a list", Some(Resolved::Str(text))) => Some(format!("write a list: `[{text}]`")),
        ("`true` or `false`", Some(Resolved::Str(_)))
            if node.as_scalar().is_some_and(|s| !s.plain) =>
        {
            Some("write `true` or `false` without quotes".to_owned())
        }
        ("`true` or `false`", Some(Resolved::Str(text))) => Some(match text {
            "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
                "write `true`: YAML 1.2 reads this word as text".to_owned()
            }
            "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
                "write `false`: YAML 1.2 reads this word as text".to_owned()
            }
            _ => "write `true` or `false`".to_owned(),
        }),
        (_, Some(Resolved::Null)) => Some("give it a value".to_owned()),
        _ => None,
    }
}

/// Extra help when a key every doc needs is missing.
fn missing_hint(def: Option<&str>, key: &str) -> Option<String> {
    let hint = match (def, key) {
        (Some("Method"), "description") => {
            "only documented methods become tools: say what the method does and when to use it"
        }
        (Some("Method"), "http") => {
            "write the upstream call as `VERB /path`, e.g. `GET /api/v1/things/{id}`"
        }
        (None, "description") => {
            "describe it in a sentence or two; the text reaches tool descriptions"
        }
        (Some("Id"), "description") => {
            "say which value callers pass as `id`, e.g. \"the team's slug, not its name\""
        }
        (Some("Credential"), "description") => "say what the value is and where a user finds it",
        _ => return None,
    };
    Some(hint.to_owned())
}
