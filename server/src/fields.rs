//! `fields` on list and get tools: the caller names the top-level record fields it wants, and
//! the server drops the rest from each record before answering.
//!
//! The generator declares `fields` in the tool's input schema (an enum of the record's
//! top-level properties); the typed input does not carry it, so it is taken out of the
//! arguments here, checked against that enum, and applied to the output. Record output schemas
//! require no field, so a projected record still fits its schema.

use rmcp::model::{JsonObject, Tool as McpTool};
use serde_json::Value;

/// The argument's name.
const FIELDS: &str = "fields";

/// What a tool's `fields` may name, and where its records are in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldSelection {
    allowed: Vec<String>,
    /// Records are the `result` array of a page, or the output itself.
    page: bool,
}

impl FieldSelection {
    /// The selection `tool` offers: its input declares `fields` as an enum of exactly the
    /// top-level properties of its output's records. `None` otherwise (an upstream argument
    /// that happens to be called `fields` is left alone).
    pub(crate) fn of(tool: &McpTool) -> Option<Self> {
        let allowed: Vec<String> = tool
            .input_schema
            .get("properties")?
            .get(FIELDS)?
            .get("items")?
            .get("enum")?
            .as_array()?
            .iter()
            .map(|value| value.as_str().map(str::to_owned))
            .collect::<Option<_>>()?;
        let output = tool.output_schema.as_deref()?;
        let properties = output.get("properties")?.as_object()?;
        let (page, record) = match properties.get("result") {
            Some(result) => (true, result.get("items")?),
            None => (false, &Value::Object(output.clone())),
        };
        let record_fields: Vec<&String> = record.get("properties")?.as_object()?.keys().collect();
        let same = record_fields.len() == allowed.len()
            && allowed.iter().all(|field| record_fields.contains(&field));
        same.then_some(Self { allowed, page })
    }

    /// Takes `fields` out of `arguments`: `Ok(None)` when absent (or null), the chosen names
    /// when valid, and the message of a `-32602` otherwise.
    pub(crate) fn take(&self, arguments: &mut JsonObject) -> Result<Option<Vec<String>>, String> {
        let Some(value) = arguments.remove(FIELDS) else {
            return Ok(None);
        };
        let names = match value {
            Value::Null => return Ok(None),
            Value::Array(items) => items,
            other => {
                return Err(format!(
                    "`{FIELDS}`: expected an array of field names, got {other}"
                ));
            }
        };
        let mut chosen = Vec::with_capacity(names.len());
        for name in names {
            let Value::String(name) = name else {
                return Err(format!(
                    "`{FIELDS}`: every entry must be a field name (a string)"
                ));
            };
            if !self.allowed.contains(&name) {
                return Err(format!(
                    "`{FIELDS}`: unknown field `{name}`; the fields are {}",
                    self.allowed.join(", ")
                ));
            }
            if !chosen.contains(&name) {
                chosen.push(name);
            }
        }
        Ok(Some(chosen))
    }

    /// Keeps only `chosen` in each record of `output`.
    pub(crate) fn apply(&self, output: &mut Value, chosen: &[String]) {
        let keep = |record: &mut Value| {
            if let Value::Object(fields) = record {
                fields.retain(|name, _| chosen.contains(name));
            }
        };
        if self.page {
            if let Some(Value::Array(records)) = output.get_mut("result") {
                records.iter_mut().for_each(keep);
            }
        } else {
            keep(output);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::borrow::Cow;
    use std::sync::Arc;

    fn tool(input: Value, output: Value) -> McpTool {
        let object = |value: Value| Arc::new(value.as_object().cloned().unwrap_or_default());
        McpTool::new(Cow::Borrowed("t"), Cow::Borrowed("d"), object(input))
            .with_raw_output_schema(object(output))
    }

    fn fields_input() -> Value {
        json!({"properties": {"fields": {"type": "array", "items": {"type": "string", "enum": ["slug", "name"]}}}})
    }

    #[test]
    fn a_page_keeps_only_the_chosen_fields_of_each_record() {
        let output = json!({"properties": {"result": {"type": "array", "items": {"properties": {"slug": {}, "name": {}}}}, "next_cursor": {}}});
        let selection = FieldSelection::of(&tool(fields_input(), output)).unwrap();
        let mut arguments = json!({"fields": ["slug", "slug"], "limit": 2})
            .as_object()
            .cloned()
            .unwrap();
        let chosen = selection.take(&mut arguments).unwrap().unwrap();
        assert_eq!(chosen, ["slug"]);
        assert_eq!(
            Value::Object(arguments),
            json!({"limit": 2}),
            "fields is not sent upstream"
        );
        let mut page =
            json!({"result": [{"slug": "a", "name": "A"}, {"slug": "b"}], "next_cursor": "x"});
        selection.apply(&mut page, &chosen);
        assert_eq!(
            page,
            json!({"result": [{"slug": "a"}, {"slug": "b"}], "next_cursor": "x"})
        );
    }

    #[test]
    fn bad_selections_are_refused_with_the_field_named() {
        let output = json!({"properties": {"slug": {}, "name": {}}});
        let selection = FieldSelection::of(&tool(fields_input(), output)).unwrap();
        for (bad, says) in [
            (json!("slug"), "expected an array"),
            (json!([1]), "a string"),
            (
                json!(["nme"]),
                "unknown field `nme`; the fields are slug, name",
            ),
        ] {
            let mut arguments = json!({"fields": bad}).as_object().cloned().unwrap();
            let error = selection.take(&mut arguments).unwrap_err();
            assert!(
                error.contains(says) && error.starts_with("`fields`"),
                "{error}"
            );
        }
    }

    #[test]
    fn an_upstream_argument_called_fields_is_left_alone() {
        // Its enum is not the record's properties: it is the API's own parameter.
        let output = json!({"properties": {"slug": {}, "id": {}}});
        assert_eq!(FieldSelection::of(&tool(fields_input(), output)), None);
        assert_eq!(
            FieldSelection::of(&tool(
                json!({"properties": {}}),
                json!({"properties": {"slug": {}}})
            )),
            None
        );
    }
}
