//! `resources/<name>.yaml`: one resource, its record schema and its methods.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{PaginationDoc, SchemaDoc};

/// One resource of an integration (`resources/<name>.yaml`): its record schema and methods.
/// Every documented method becomes one MCP tool.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Resource")]
pub(crate) struct ResourceDoc {
    /// Plural snake_case (`teams`); equal to the file name without `.yaml`.
    pub(crate) name: String,
    /// Singular snake_case (`team`), used in tool names.
    pub(crate) singular: String,
    /// What the resource is; shown in tool descriptions.
    pub(crate) description: String,
    /// Tags of this resource's tools (servers can be limited to tools with given tags).
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("default" = []))]
    pub(crate) tags: Vec<String>,
    /// Which record field identifies a record. Leave it out for singletons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<IdDoc>,
    /// The record's JSON Schema (`type: object`).
    pub(crate) schema: SchemaDoc,
    /// The standard methods. Custom methods go under `custom_methods`.
    #[serde(default, skip_serializing_if = "MethodsDoc::is_empty")]
    pub(crate) methods: MethodsDoc,
    /// Other methods by snake_case name; the tool is `<method>_<integration>_<resources>`.
    #[serde(default)]
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) custom_methods: BTreeMap<String, MethodDoc>,
}

/// The record field that identifies a record; tools take it as their `id` argument.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Id")]
pub(crate) struct IdDoc {
    /// A property of the record schema (`slug`).
    pub(crate) field: String,
    /// How a caller fills the `id` argument ("the team's slug, not its name").
    pub(crate) description: String,
}

/// The standard methods; each one present becomes a tool.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Methods")]
pub(crate) struct MethodsDoc {
    /// `list_all_<integration>_<resources>`: list records, a page at a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) list: Option<MethodDoc>,
    /// `get_single_<integration>_<resource>_by_id`: read one record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) get: Option<MethodDoc>,
    /// `create_a_<integration>_<resource>`: create a record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) create: Option<MethodDoc>,
    /// `update_a_<integration>_<resource>_by_id`: change a record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) update: Option<MethodDoc>,
    /// `delete_a_<integration>_<resource>_by_id`: delete a record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) delete: Option<MethodDoc>,
}

impl MethodsDoc {
    /// Whether no standard method is documented.
    pub(crate) fn is_empty(&self) -> bool {
        self == &MethodsDoc::default()
    }
}

/// One upstream call, exposed as one tool.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Method")]
pub(crate) struct MethodDoc {
    /// What the tool does; required (a method without one is an error, not an undocumented tool).
    pub(crate) description: String,
    /// `VERB /path` with VERB one of GET, POST, PUT, PATCH, DELETE; `{id}` and `path_schema`
    /// properties may appear as placeholders: `GET /api/v1/config/teams/{id}`.
    pub(crate) http: String,
    /// Query parameters (an object schema keyed by upstream names, `page.max_size` allowed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) query_schema: Option<SchemaDoc>,
    /// Path placeholders other than `{id}` (an object schema).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) path_schema: Option<SchemaDoc>,
    /// Whether the record's writable (non-`readOnly`) fields are sent as the body. Defaults to
    /// `true` for create and update, `false` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) body_record: Option<bool>,
    /// The key the record fields are wrapped under (`team` sends `{"team": {...}}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) body_wrapper: Option<String>,
    /// Body fields sent at the top level, beside the wrapper (an object schema; `dry_run`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) body_schema: Option<SchemaDoc>,
    /// Dotted path to the record(s) in the reply (`teams`, `team`); the whole body if omitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) response_path: Option<String>,
    /// Replaces the record schema for this method's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) response_schema: Option<SchemaDoc>,
    /// Overrides the integration's pagination (list only): a pagination style or `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pagination: Option<PaginationOverride>,
    /// Extra tags for this method's tool.
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("default" = []))]
    pub(crate) tags: Vec<String>,
    /// Replaces the generated tool name (`^[a-zA-Z0-9_-]{1,64}$`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tool_name: Option<String>,
}

/// A method's pagination: `none`, or a full pagination style.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "PaginationOverride")]
pub(crate) enum PaginationOverride {
    Off(NoneKeyword),
    Style(PaginationDoc),
}

/// The word `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NoneKeyword {
    None,
}
