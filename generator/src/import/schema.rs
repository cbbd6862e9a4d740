//! Schema conversion: a spec schema (Swagger 2.0, OpenAPI 3.0 or 3.1) into a self-contained
//! schema in the doc format's subset ([`SchemaDoc`]).
//!
//! `$ref`s are inlined; a reference back into a schema being inlined (a cycle) becomes `{}`
//! (any JSON) with a note. `allOf` branches merge; `oneOf`/`anyOf` of objects become one
//! object whose properties are all optional; a `null` alternative, `nullable` and `"null"` in
//! a type array only make a value optional. Whatever else the subset cannot say (integer
//! enums, constraints, maps, mixed types) becomes a sentence in `description` instead of an
//! error: the spec's own prose comes first, the notes after it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::refs::{Refs, child, last_token};
use crate::docs::{SchemaDoc, SchemaTypeDoc};
use crate::error::Error;
use crate::naming;

/// Keywords that say something about valid values, stated in prose instead.
const CONSTRAINTS: [&str; 13] = [
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Converts spec schemas, remembering which references are being inlined.
pub(crate) struct Converter<'r, 's> {
    refs: &'r Refs<'s>,
    /// Pointers of the referenced schemas being inlined, outermost first.
    inlining: Vec<String>,
}

/// A schema before its notes are written into its description.
#[derive(Debug, Default)]
struct Draft {
    doc: SchemaDoc,
    notes: Vec<String>,
    /// `nullable`, a `null` type or a `null` alternative: the value may be null.
    nullable: bool,
    /// The name of the referenced schema, for notes about alternatives.
    name: Option<String>,
}

impl<'r, 's> Converter<'r, 's> {
    pub(crate) fn new(refs: &'r Refs<'s>) -> Self {
        Converter {
            refs,
            inlining: Vec::new(),
        }
    }

    /// The schema `value`, found at `pointer`, in the subset. A reference back to `pointer`
    /// itself is a cycle too.
    pub(crate) fn convert(&mut self, value: &Value, pointer: &str) -> Result<SchemaDoc, Error> {
        let outermost = self.inlining.is_empty();
        if outermost {
            self.inlining.push(pointer.to_owned());
        }
        let draft = self.draft(value, pointer);
        if outermost {
            self.inlining.clear();
        }
        Ok(finish(draft?))
    }

    fn draft(&mut self, value: &Value, pointer: &str) -> Result<Draft, Error> {
        let object = match value {
            Value::Object(object) => object,
            Value::Bool(true) => return Ok(Draft::default()),
            Value::Bool(false) => {
                return Ok(note_only("No value is valid here (the schema is `false`)."));
            }
            _ => {
                return Err(self
                    .refs
                    .spec
                    .error(pointer, "a schema must be a mapping (or `true`/`false`)"));
            }
        };
        if let Some(reference) = object.get("$ref") {
            return self.reference(object, reference, pointer);
        }
        let mut draft = Draft::default();
        self.own_keywords(object, pointer, &mut draft)?;
        if let Some(Value::Array(branches)) = object.get("allOf") {
            for (i, branch) in branches.iter().enumerate() {
                let at = child(&child(pointer, "allOf"), &i.to_string());
                let branch = self.draft(branch, &at)?;
                merge(&mut draft, branch);
            }
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = object.get(combinator) {
                let at = child(pointer, combinator);
                let alternatives = self.alternatives(branches, &at, combinator)?;
                merge(&mut draft, alternatives);
            }
        }
        if object.contains_key("not") {
            draft
                .notes
                .push("Some values are excluded (a `not` rule not stated here).".to_owned());
        }
        settle_type(&mut draft);
        Ok(draft)
    }

    /// A `$ref`: the target inlined, or `{}` when the target is already being inlined.
    fn reference(
        &mut self,
        object: &Map<String, Value>,
        reference: &Value,
        pointer: &str,
    ) -> Result<Draft, Error> {
        let Value::String(reference) = reference else {
            return Err(self.refs.spec.error(pointer, "`$ref` must be a string"));
        };
        let (target, target_pointer) = self.refs.target(reference, pointer)?;
        let name = last_token(&target_pointer);
        let mut draft = if self.inlining.contains(&target_pointer) {
            note_only(&format!(
                "Any JSON value here: this is `{name}` again, which contains itself (a cycle the \
                 doc format cannot describe)."
            ))
        } else {
            self.inlining.push(target_pointer.clone());
            let draft = self.draft(target, &target_pointer);
            self.inlining.pop();
            draft?
        };
        draft.name = Some(name);
        // OpenAPI 3.1 lets a reference carry its own description and readOnly.
        if let Some(text) = object.get("description").and_then(Value::as_str) {
            draft.doc.description = Some(text.to_owned());
        }
        if object.get("readOnly") == Some(&Value::Bool(true)) {
            draft.doc.read_only = Some(true);
        }
        if object.get("nullable") == Some(&Value::Bool(true)) {
            draft.nullable = true;
        }
        Ok(draft)
    }

    /// Everything but the combinators: type, prose, enum, format, items, properties, ...
    fn own_keywords(
        &mut self,
        object: &Map<String, Value>,
        pointer: &str,
        draft: &mut Draft,
    ) -> Result<(), Error> {
        let doc = &mut draft.doc;
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
        doc.description = text("description").or_else(|| text("title"));
        match object.get("type") {
            Some(Value::String(name)) => set_type(draft, name),
            Some(Value::Array(names)) => {
                let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
                let (nulls, types): (Vec<&str>, Vec<&str>) =
                    names.iter().partition(|name| **name == "null");
                draft.nullable |= !nulls.is_empty();
                match types.as_slice() {
                    [one] => set_type(draft, one),
                    [] => {}
                    many => draft.notes.push(format!("{}.", any_of_types(many))),
                }
            }
            _ => {}
        }
        draft.nullable |= object.get("nullable") == Some(&Value::Bool(true));
        if object.get("readOnly") == Some(&Value::Bool(true)) {
            draft.doc.read_only = Some(true);
        }
        if object.get("deprecated") == Some(&Value::Bool(true)) {
            draft.notes.push("Deprecated.".to_owned());
        }
        if let Some(format) = text("format") {
            draft.doc.format = Some(format);
        }
        let mut values = object.get("enum").and_then(Value::as_array).cloned();
        if let Some(constant) = object.get("const") {
            values = Some(vec![constant.clone()]);
        }
        if let Some(values) = values {
            set_enum(draft, &values);
        }
        if let Some(example) = object.get("example") {
            draft.doc.examples = Some(vec![example.clone()]);
        } else if let Some(Value::Array(examples)) = object.get("examples") {
            draft.doc.examples = Some(examples.clone());
        }
        if let Some(default) = object.get("default") {
            draft.doc.default = Some(default.clone());
        }
        let constraints: Vec<String> = CONSTRAINTS
            .iter()
            .filter_map(|key| {
                object
                    .get(*key)
                    .map(|value| format!("{key} {}", short(value)))
            })
            .collect();
        if !constraints.is_empty() {
            draft
                .notes
                .push(format!("Constraints: {}.", constraints.join(", ")));
        }
        self.items(object, pointer, draft)?;
        self.properties(object, pointer, draft)?;
        Ok(())
    }

    fn items(
        &mut self,
        object: &Map<String, Value>,
        pointer: &str,
        draft: &mut Draft,
    ) -> Result<(), Error> {
        let tuple = match object.get("items") {
            Some(items) => items.is_array(),
            None => object.contains_key("prefixItems"),
        };
        if tuple {
            draft.doc.items = Some(Box::default());
            draft.notes.push(
                "The items are a fixed sequence of different shapes (a tuple), any JSON here."
                    .to_owned(),
            );
        } else if let Some(items) = object.get("items") {
            let items = self.convert(items, &child(pointer, "items"))?;
            draft.doc.items = Some(Box::new(items));
        }
        Ok(())
    }

    fn properties(
        &mut self,
        object: &Map<String, Value>,
        pointer: &str,
        draft: &mut Draft,
    ) -> Result<(), Error> {
        let mut optional = BTreeSet::new();
        if let Some(Value::Object(properties)) = object.get("properties") {
            let at = child(pointer, "properties");
            let mut converted = BTreeMap::new();
            for (name, property) in properties {
                let property = self.draft(property, &child(&at, name))?;
                if property.nullable {
                    optional.insert(name.clone());
                }
                converted.insert(name.clone(), finish(property));
            }
            draft.notes.extend(drop_clashing_fields(&mut converted));
            draft.doc.properties = Some(converted);
        }
        if let Some(Value::Array(required)) = object.get("required") {
            let declared = draft.doc.properties.as_ref();
            let required: Vec<String> = required
                .iter()
                .filter_map(Value::as_str)
                .filter(|name| declared.is_some_and(|props| props.contains_key(*name)))
                .filter(|name| !optional.contains(*name))
                .map(str::to_owned)
                .collect();
            draft.doc.required = Some(required).filter(|names| !names.is_empty());
        }
        match object.get("additionalProperties") {
            Some(Value::Bool(allowed)) => draft.doc.additional_properties = Some(*allowed),
            Some(values) => {
                let values = self.draft(values, &child(pointer, "additionalProperties"))?;
                draft.doc.additional_properties = Some(true);
                let kind = kind_words(&values.doc);
                draft.notes.push(if draft.doc.properties.is_some() {
                    format!("Other properties hold {kind} values.")
                } else {
                    format!("A map from names to {kind} values.")
                });
            }
            None => {}
        }
        Ok(())
    }

    /// `oneOf`/`anyOf` as one schema: the alternatives' common type, objects merged with every
    /// property optional, or any JSON with a note.
    fn alternatives(
        &mut self,
        branches: &[Value],
        pointer: &str,
        combinator: &str,
    ) -> Result<Draft, Error> {
        let mut drafts = Vec::new();
        let mut nullable = false;
        for (i, branch) in branches.iter().enumerate() {
            let draft = self.draft(branch, &child(pointer, &i.to_string()))?;
            let only_null = draft.nullable && draft.doc == SchemaDoc::default();
            nullable |= draft.nullable;
            if !only_null {
                drafts.push(draft);
            }
        }
        let mut result = Draft {
            nullable,
            ..Draft::default()
        };
        if drafts.len() <= 1 {
            if let Some(only) = drafts.pop() {
                merge(&mut result, only);
                result.nullable = nullable;
            }
            return Ok(result);
        }
        let names: Vec<String> = drafts
            .iter()
            .enumerate()
            .map(|(i, draft)| match &draft.name {
                Some(name) => format!("`{name}`"),
                None => kind_words(&draft.doc).to_owned() + &format!(" (alternative {})", i + 1),
            })
            .collect();
        let word = if combinator == "oneOf" { "One" } else { "Any" };
        let mut types: Vec<Option<SchemaTypeDoc>> = Vec::new();
        for draft in &drafts {
            if !types.contains(&draft.doc.type_) {
                types.push(draft.doc.type_);
            }
        }
        match types.as_slice() {
            [Some(SchemaTypeDoc::Object)] => {
                for draft in drafts {
                    let mut draft = draft;
                    draft.doc.required = None;
                    draft.doc.description = None;
                    merge(&mut result, draft);
                }
                result.notes.push(format!(
                    "{word} of these shapes: {}; each property belongs to one or more of them.",
                    names.join(", ")
                ));
            }
            [Some(single)] => {
                result.doc.type_ = Some(*single);
                let enums: Option<Vec<Vec<String>>> =
                    drafts.iter().map(|draft| draft.doc.enum_.clone()).collect();
                if let Some(enums) = enums {
                    let values: BTreeSet<String> = enums.into_iter().flatten().collect();
                    result.doc.enum_ = Some(values.into_iter().collect());
                }
                for draft in drafts {
                    result.notes.extend(draft.notes);
                }
            }
            _ => {
                let kinds: Vec<&str> = drafts.iter().map(|draft| kind_words(&draft.doc)).collect();
                result.notes.push(format!(
                    "{word} of: {}.",
                    names
                        .iter()
                        .zip(kinds)
                        .map(|(name, kind)| if name.starts_with('`') {
                            format!("{name} ({kind})")
                        } else {
                            name.clone()
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Ok(result)
    }
}

/// Leaves out properties the generated struct cannot hold: one named like the field that keeps
/// undescribed values (`extra`), or a second one with the same Rust field (`userEmails` beside
/// `user_emails`). Their values still reach callers among the undescribed fields. Returns the
/// notes saying so.
fn drop_clashing_fields(properties: &mut BTreeMap<String, SchemaDoc>) -> Vec<String> {
    let mut fields = BTreeSet::new();
    let mut dropped = Vec::new();
    properties.retain(|name, _| {
        let field = naming::rust_field(name);
        let keep = field != naming::EXTRA_FIELD && fields.insert(field);
        if !keep {
            dropped.push(format!("`{name}`"));
        }
        keep
    });
    if dropped.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "Also holds {} (not listed: the name clashes in generated code).",
        dropped.join(", ")
    )]
}

/// A schema that accepts any JSON and says why.
fn note_only(note: &str) -> Draft {
    Draft {
        notes: vec![note.to_owned()],
        ..Draft::default()
    }
}

fn set_type(draft: &mut Draft, name: &str) {
    draft.doc.type_ = Some(match name {
        "string" => SchemaTypeDoc::String,
        "integer" => SchemaTypeDoc::Integer,
        "number" => SchemaTypeDoc::Number,
        "boolean" => SchemaTypeDoc::Boolean,
        "array" => SchemaTypeDoc::Array,
        "object" => SchemaTypeDoc::Object,
        "null" => {
            draft.nullable = true;
            return;
        }
        "file" => {
            draft
                .notes
                .push("A file (uploads are not JSON), any JSON here.".to_owned());
            return;
        }
        other => {
            draft.notes.push(format!(
                "Of type `{other}`, which JSON Schema does not define."
            ));
            return;
        }
    });
}

/// String enums stay; others become a sentence. `null` among the values makes it optional.
fn set_enum(draft: &mut Draft, values: &[Value]) {
    draft.nullable |= values.contains(&Value::Null);
    let values: Vec<&Value> = values.iter().filter(|value| !value.is_null()).collect();
    let strings: Option<Vec<String>> = values
        .iter()
        .map(|value| value.as_str().map(str::to_owned))
        .collect();
    match strings {
        Some(strings) if !strings.is_empty() && variants_are_distinct(&strings) => {
            draft.doc.enum_ = Some(strings);
        }
        _ if values.is_empty() => {}
        _ => {
            let listed: Vec<String> = values.iter().map(|value| short(value)).collect();
            draft
                .notes
                .push(format!("Allowed values: {}.", listed.join(", ")));
        }
    }
}

/// Whether the generated Rust enum can hold these values: every value its own variant, and
/// none taking the name of the variant that keeps unknown values.
fn variants_are_distinct(values: &[String]) -> bool {
    let mut seen = BTreeSet::new();
    values.iter().all(|value| {
        let variant = naming::variant_name(value);
        variant != naming::OTHER_VARIANT && seen.insert(variant)
    })
}

/// Makes the draft valid in the subset: infers a missing type from the keywords that imply it,
/// drops keywords that do not apply to the type, keeps `date-time` as the only format.
fn settle_type(draft: &mut Draft) {
    let doc = &mut draft.doc;
    if doc.type_.is_none() {
        doc.type_ = if doc.properties.is_some() || doc.additional_properties.is_some() {
            Some(SchemaTypeDoc::Object)
        } else if doc.items.is_some() {
            Some(SchemaTypeDoc::Array)
        } else if doc.enum_.is_some() {
            Some(SchemaTypeDoc::String)
        } else {
            None
        };
    }
    let ty = doc.type_;
    if ty != Some(SchemaTypeDoc::String) || doc.format.as_deref() != Some("date-time") {
        doc.format = None;
    }
    if ty != Some(SchemaTypeDoc::String) {
        doc.enum_ = None;
    }
    if ty == Some(SchemaTypeDoc::Array) {
        doc.items.get_or_insert_with(Box::default);
    } else {
        doc.items = None;
    }
    if ty != Some(SchemaTypeDoc::Object) {
        doc.properties = None;
        doc.required = None;
        doc.additional_properties = None;
    }
}

/// `allOf`: `from` merged into `into` (properties joined, the first description and type kept).
fn merge(into: &mut Draft, from: Draft) {
    let (doc, other) = (&mut into.doc, from.doc);
    if doc.type_.is_none() {
        doc.type_ = other.type_;
    } else if other.type_.is_some() && other.type_ != doc.type_ {
        into.notes.push(format!(
            "Also described as {} (conflicting shapes).",
            kind_words(&other)
        ));
    }
    doc.description = doc.description.take().or(other.description);
    doc.enum_ = doc.enum_.take().or(other.enum_);
    doc.format = doc.format.take().or(other.format);
    doc.items = doc.items.take().or(other.items);
    if let Some(properties) = other.properties {
        let mine = doc.properties.get_or_insert_with(BTreeMap::new);
        for (name, property) in properties {
            mine.entry(name).or_insert(property);
        }
    }
    if let Some(required) = other.required {
        let mine = doc.required.get_or_insert_with(Vec::new);
        for name in required {
            if !mine.contains(&name) {
                mine.push(name);
            }
        }
    }
    doc.additional_properties = doc.additional_properties.or(other.additional_properties);
    doc.read_only = doc.read_only.or(other.read_only);
    doc.examples = doc.examples.take().or(other.examples);
    doc.default = doc.default.take().or(other.default);
    into.notes.extend(from.notes);
    into.nullable |= from.nullable;
    if into.name.is_none() {
        into.name = from.name;
    }
}

/// The draft's schema with its notes written after its prose.
fn finish(draft: Draft) -> SchemaDoc {
    let mut doc = draft.doc;
    let prose = doc
        .description
        .take()
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty());
    let mut notes: Vec<String> = Vec::new();
    for note in draft.notes {
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    let notes = notes.join(" ");
    doc.description = match (prose, notes.is_empty()) {
        (Some(prose), true) => Some(prose),
        (Some(prose), false) if prose.contains('\n') => Some(format!("{prose}\n\n{notes}")),
        (Some(prose), false) => Some(format!("{prose} {notes}")),
        (None, false) => Some(notes),
        (None, true) => None,
    };
    doc
}

/// `string`, `object`, `any JSON`, ... for notes.
fn kind_words(doc: &SchemaDoc) -> &'static str {
    match doc.type_ {
        Some(SchemaTypeDoc::String) => "string",
        Some(SchemaTypeDoc::Integer) => "integer",
        Some(SchemaTypeDoc::Number) => "number",
        Some(SchemaTypeDoc::Boolean) => "boolean",
        Some(SchemaTypeDoc::Array) => "array",
        Some(SchemaTypeDoc::Object) => "object",
        None => "any JSON",
    }
}

/// "A string or an integer" for a 3.1 type array.
fn any_of_types(types: &[&str]) -> String {
    let article = |name: &str| {
        if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            format!("an {name}")
        } else {
            format!("a {name}")
        }
    };
    let words: Vec<String> = types.iter().map(|name| article(name)).collect();
    let mut sentence = words.join(" or ");
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_ascii_uppercase() + &sentence[1..];
    }
    sentence
}

/// A short rendering of a JSON value for prose: strings bare, others as JSON.
fn short(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{text}`"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::spec;
    use serde_json::json;
    use std::path::Path;

    /// Converts `/definitions/<name>` of a Swagger 2.0 spec whose `definitions` are `defs`.
    fn convert(defs: Value, name: &str) -> SchemaDoc {
        let text = json!({"swagger": "2.0", "definitions": defs}).to_string();
        let spec = match spec::parse(Path::new("spec.json"), &text) {
            Ok(spec) => spec,
            Err(err) => panic!("{err}"),
        };
        let refs = Refs::new(&spec);
        let pointer = format!("/definitions/{name}");
        let value = spec.root.pointer(&pointer).cloned().unwrap_or_default();
        match Converter::new(&refs).convert(&value, &pointer) {
            Ok(doc) => doc,
            Err(err) => panic!("{err}"),
        }
    }

    fn yaml(doc: &SchemaDoc) -> String {
        serde_yaml::to_string(doc).unwrap_or_else(|err| panic!("{err}"))
    }

    #[test]
    fn a_cycle_is_cut_with_a_note() {
        let doc = convert(
            json!({"Node": {"type": "object", "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}
            }}}),
            "Node",
        );
        let children = doc.properties.as_ref().and_then(|p| p.get("children"));
        let items = children.and_then(|c| c.items.as_deref());
        let Some(items) = items else {
            panic!("{}", yaml(&doc))
        };
        assert_eq!(items.type_, None, "{}", yaml(&doc));
        assert!(
            items
                .description
                .as_deref()
                .is_some_and(|d| d.contains("`Node` again")),
            "{}",
            yaml(&doc)
        );
    }

    #[test]
    fn all_of_merges_and_one_of_objects_become_one_optional_object() {
        let doc = convert(
            json!({
                "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "readOnly": true}}},
                "Cat": {"allOf": [{"$ref": "#/definitions/Base"}, {"properties": {"meows": {"type": "boolean"}}}]},
                "Dog": {"type": "object", "required": ["barks"], "properties": {"barks": {"type": "boolean"}}},
                "Pet": {"oneOf": [{"$ref": "#/definitions/Cat"}, {"$ref": "#/definitions/Dog"}]}
            }),
            "Pet",
        );
        assert_eq!(doc.type_, Some(SchemaTypeDoc::Object));
        let names: Vec<&String> = doc.properties.iter().flat_map(|p| p.keys()).collect();
        assert_eq!(names, ["barks", "id", "meows"]);
        assert_eq!(doc.required, None);
        let note = doc.description.unwrap_or_default();
        assert!(note.contains("One of these shapes: `Cat`, `Dog`"), "{note}");
    }

    #[test]
    fn what_the_subset_cannot_say_becomes_prose() {
        let doc = convert(
            json!({"T": {"type": "object", "required": ["level", "name"], "properties": {
                "level": {"type": "integer", "enum": [1, 2, 3], "description": "How loud."},
                "name": {"type": ["string", "null"], "maxLength": 64},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "when": {"type": "string", "format": "date-time"},
                "uuid": {"type": "string", "format": "uuid"},
                "mode": {"type": "string", "enum": ["a", "b", null]}
            }}}),
            "T",
        );
        let props = doc.properties.clone().unwrap_or_default();
        let level = &props["level"];
        assert_eq!(level.type_, Some(SchemaTypeDoc::Integer));
        assert_eq!(level.enum_, None);
        assert_eq!(
            level.description.as_deref(),
            Some("How loud. Allowed values: 1, 2, 3.")
        );
        assert_eq!(props["name"].type_, Some(SchemaTypeDoc::String));
        assert_eq!(
            props["name"].description.as_deref(),
            Some("Constraints: maxLength 64.")
        );
        assert_eq!(
            doc.required,
            Some(vec!["level".to_owned()]),
            "nullable `name` is optional"
        );
        assert_eq!(props["labels"].additional_properties, Some(true));
        assert!(
            props["labels"]
                .description
                .as_deref()
                .is_some_and(|d| d.contains("map from names to string"))
        );
        assert_eq!(props["when"].format.as_deref(), Some("date-time"));
        assert_eq!(props["uuid"].format, None);
        assert_eq!(
            props["mode"].enum_,
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
    }

    #[test]
    fn enums_whose_values_share_a_rust_variant_become_prose() {
        let doc = convert(
            json!({"E": {"type": "string", "enum": ["in-progress", "IN_PROGRESS", "other"]}}),
            "E",
        );
        assert_eq!(doc.enum_, None);
        assert!(
            doc.description
                .unwrap_or_default()
                .contains("`in-progress`")
        );
    }
}
