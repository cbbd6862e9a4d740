//! JSON Schema constructs that docs copy from OpenAPI files but mcpgen refuses, each with the
//! reason and the way out.
//!
//! Tool schemas must be self-contained and map to one Rust type, and MCP clients disagree on
//! everything beyond a small subset, so `$ref`, combinators, type arrays, `nullable`, tuple
//! `items` and non-string enums are errors with a specific message rather than a generic
//! "unknown keyword".

use crate::load::yaml::{Entry, Node, Pos, Resolved};

/// Well-known JSON Schema keywords outside the subset: reported as unsupported rather than
/// as typos.
const UNSUPPORTED: &[&str] = &[
    "title",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "patternProperties",
    "propertyNames",
    "writeOnly",
    "deprecated",
    "contentEncoding",
    "contentMediaType",
    "if",
    "then",
    "else",
    "prefixItems",
    "contains",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "$schema",
    "$id",
    "$comment",
];

/// A refused construct: where, what and the way out.
pub(crate) struct Refusal {
    pub(crate) key: String,
    pub(crate) pos: Pos,
    pub(crate) message: String,
    pub(crate) hint: String,
}

/// The refused constructs in one schema mapping. The caller reports them (dropping the keyword
/// loses nothing the other checks need, so they still run) and skips their keys.
pub(crate) fn check(entries: &[Entry]) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    for entry in entries {
        let Some(key) = entry.key.as_scalar().map(|k| k.text.as_str()) else {
            continue;
        };
        let at_key = |(message, hint)| (entry.key.pos, message, hint);
        let refused = match key {
            "$ref" | "$defs" | "definitions" => Some(at_key((
                format!("`{key}` is not supported"),
                "inline the referenced schema here: tool schemas must be self-contained".to_owned(),
            ))),
            "oneOf" | "anyOf" | "allOf" => Some(at_key((
                format!("`{key}` is not supported"),
                "describe one shape: an object whose variant-specific properties are optional, or a string `enum`"
                    .to_owned(),
            ))),
            "not" => Some(at_key(("`not` is not supported".to_owned(), "state the restriction in `description`".to_owned()))),
            "nullable" => Some(at_key((
                "`nullable` is not supported".to_owned(),
                "leave the property out of `required` to make it optional".to_owned(),
            ))),
            "type" => type_problem(&entry.value),
            "items" if entry.value.as_seq().is_some() => Some(at_key((
                "tuple `items` (a list of schemas) are not supported".to_owned(),
                "give one schema that every item matches: `items: {type: string}`".to_owned(),
            ))),
            "enum" => enum_problem(&entry.value),
            _ => None,
        };
        if let Some((pos, message, hint)) = refused {
            refusals.push(Refusal {
                key: key.to_owned(),
                pos,
                message,
                hint,
            });
        }
    }
    refusals
}

/// The hint for a schema keyword that is neither supported nor a likely typo.
pub(crate) fn unsupported_hint(key: &str) -> String {
    if UNSUPPORTED.contains(&key) {
        format!("mcpgen's schema subset has no `{key}`; state the constraint in `description`")
    } else {
        "the supported keywords are `type`, `description`, `properties`, `required`, `items`, `enum`, \
         `format`, `additionalProperties`, `readOnly`, `examples` and `default`"
            .to_owned()
    }
}

fn type_problem(value: &Node) -> Option<(Pos, String, String)> {
    if let Some(items) = value.as_seq() {
        let nullable = items
            .iter()
            .any(|item| item.as_scalar().is_some_and(|s| s.text == "null"));
        let hint = if nullable {
            "use one type; to allow a missing value, leave the property out of `required`"
        } else {
            "use one type, or `{}` for any JSON value"
        };
        return Some((
            value.pos,
            "type arrays are not supported".to_owned(),
            hint.to_owned(),
        ));
    }
    let scalar = value.as_scalar()?;
    (scalar.resolve() == Resolved::Null && !scalar.text.is_empty()).then(|| {
        (
            value.pos,
            "type `null` is not supported".to_owned(),
            "leave the property out of `required` to make it optional".to_owned(),
        )
    })
}

fn enum_problem(value: &Node) -> Option<(Pos, String, String)> {
    let items = value.as_seq()?;
    let bad = items.iter().find(|item| {
        !matches!(
            item.as_scalar().map(|s| s.resolve()),
            Some(Resolved::Str(_))
        )
    })?;
    Some((
        bad.pos,
        format!("enum values must be strings, found {}", bad.describe()),
        "quote the values (`\"1\"`) and use `type: string`; MCP clients only agree on string enums"
            .to_owned(),
    ))
}
