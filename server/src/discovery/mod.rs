//! Discovery exposure: three meta-tools instead of the catalog, so an agent pays for a whole
//! API's schemas only for the tools it uses.
//!
//! - `search_tools`: words (and optional tags and methods) to ranked tool names with one-line
//!   descriptions ([`search::SearchIndex`]);
//! - `describe_tools`: the full input and output schemas of named tools;
//! - `call_tool`: a tool's name and arguments, run exactly as a direct `tools/call` would be.
//!
//! Every meta-tool sees only the handler's (filtered) catalog: a hidden tool can be neither
//! found, described nor called. The handler owns the dispatch (`handler.rs`); this module owns
//! the meta-tools' definitions, their arguments and their answers.

pub mod search;

use std::borrow::Cow;
use std::sync::Arc;

use rmcp::ErrorData;
use rmcp::model::{JsonObject, Tool as McpTool, ToolAnnotations};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::filter::ToolFilter;
use crate::outcome;
use search::SearchIndex;

/// Which tools `tools/list` shows. Spelled `all` and `discovery` on the command line and in
/// hosted mode's `config.tool_exposure`.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Exposure {
    /// Every tool of the (filtered) catalog, with its schemas.
    #[default]
    All,
    /// Three meta-tools: `search_tools`, `describe_tools`, `call_tool`.
    Discovery,
}

impl Exposure {
    /// `all` or `discovery`, as the flag and the hosted config spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::All => "all",
            Exposure::Discovery => "discovery",
        }
    }
}

/// Name of the meta-tool that ranks tools for a request.
pub const SEARCH_TOOLS: &str = "search_tools";
/// Name of the meta-tool that returns tools' schemas.
pub const DESCRIBE_TOOLS: &str = "describe_tools";
/// Name of the meta-tool that calls a tool.
pub const CALL_TOOL: &str = "call_tool";

/// How many hits `search_tools` returns unless asked otherwise, and at most.
const DEFAULT_LIMIT: usize = 5;
const MAX_LIMIT: usize = 25;
/// How many tools one `describe_tools` call may name.
const MAX_DESCRIBE: usize = 20;

/// The meta-tools of one catalog and the index `search_tools` ranks with.
#[derive(Debug)]
pub(crate) struct Discovery {
    tools: Vec<McpTool>,
    index: SearchIndex,
}

/// A meta-tool call, its arguments decoded.
pub(crate) enum MetaCall {
    /// `search_tools`: the answer is ready.
    Answered(Value),
    /// `call_tool`: run this catalog tool with these arguments.
    Call { name: String, arguments: JsonObject },
}

impl Discovery {
    pub(crate) fn new(catalog: &Catalog) -> Self {
        Self {
            tools: meta_tools(catalog),
            index: SearchIndex::new(catalog),
        }
    }

    /// The three meta-tools, as `tools/list` returns them.
    pub(crate) fn tools(&self) -> &[McpTool] {
        &self.tools
    }

    /// The meta-tool called `name`.
    pub(crate) fn tool(&self, name: &str) -> Option<&McpTool> {
        self.tools.iter().find(|tool| tool.name == name)
    }

    /// Decodes and answers a call of meta-tool `name` (or says which catalog tool to run).
    /// Bad arguments, unknown tools and non-meta names are `-32602`, as in a direct call.
    pub(crate) fn call(
        &self,
        catalog: &Catalog,
        name: &str,
        arguments: JsonObject,
    ) -> Result<MetaCall, ErrorData> {
        match name {
            SEARCH_TOOLS => {
                let args: SearchArgs = decode(name, arguments)?;
                self.search(catalog, args).map(MetaCall::Answered)
            }
            DESCRIBE_TOOLS => {
                let args: DescribeArgs = decode(name, arguments)?;
                describe(catalog, args).map(MetaCall::Answered)
            }
            CALL_TOOL => {
                let args: CallArgs = decode(name, arguments)?;
                Ok(MetaCall::Call {
                    name: args.name,
                    arguments: args.arguments.unwrap_or_default(),
                })
            }
            other => {
                let hint = if catalog.get(other).is_some() {
                    format!("; this server runs in discovery mode: call it through `{CALL_TOOL}`")
                } else {
                    String::new()
                };
                Err(ErrorData::invalid_params(
                    format!(
                        "unknown tool `{other}`{hint}; the tools here are `{SEARCH_TOOLS}`, \
                         `{DESCRIBE_TOOLS}` and `{CALL_TOOL}`"
                    ),
                    Some(json!({ "tool": other })),
                ))
            }
        }
    }

    fn search(&self, catalog: &Catalog, args: SearchArgs) -> Result<Value, ErrorData> {
        let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(outcome::invalid_arguments(
                SEARCH_TOOLS,
                format!("invalid arguments: `limit`: {limit} is not between 1 and {MAX_LIMIT}"),
            ));
        }
        let filter = ToolFilter::parse(&args.methods, &args.tags).map_err(|error| {
            outcome::invalid_arguments(SEARCH_TOOLS, format!("invalid arguments: {error}"))
        })?;
        // The filter names methods and tags of the whole integration; only the tools this
        // server serves can be found.
        let kept = filter.select(catalog.integration()).map_err(|error| {
            outcome::invalid_arguments(SEARCH_TOOLS, format!("invalid arguments: {error}"))
        })?;
        let keep =
            |name: &str| catalog.get(name).is_some() && kept.iter().any(|tool| tool.name == name);
        let hits = self.index.search(&args.query, keep);
        let tools: Vec<Value> = hits
            .iter()
            .take(limit)
            .filter_map(|hit| catalog.get(hit.name))
            .map(|entry| {
                json!({
                    "name": entry.tool.name,
                    "summary": first_line(entry.tool.description),
                    "method": entry.tool.method.name(),
                    "tags": entry.tool.tags,
                })
            })
            .collect();
        Ok(json!({ "tools": tools, "matched": hits.len() }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchArgs {
    query: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    limit: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DescribeArgs {
    names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallArgs {
    name: String,
    arguments: Option<JsonObject>,
}

fn decode<T: serde::de::DeserializeOwned>(
    tool: &str,
    arguments: JsonObject,
) -> Result<T, ErrorData> {
    serde_path_to_error::deserialize(Value::Object(arguments)).map_err(|error| {
        let path = error.path().to_string();
        let message = if path == "." {
            error.into_inner().to_string()
        } else {
            format!("`{path}`: {}", error.into_inner())
        };
        outcome::invalid_arguments(tool, format!("invalid arguments: {message}"))
    })
}

fn describe(catalog: &Catalog, args: DescribeArgs) -> Result<Value, ErrorData> {
    if args.names.is_empty() || args.names.len() > MAX_DESCRIBE {
        return Err(outcome::invalid_arguments(
            DESCRIBE_TOOLS,
            format!("invalid arguments: `names`: give 1 to {MAX_DESCRIBE} tool names"),
        ));
    }
    let mut tools = Vec::with_capacity(args.names.len());
    for name in &args.names {
        let entry = catalog
            .get(name)
            .ok_or_else(|| outcome::unknown_tool(name, catalog))?;
        tools.push(serde_json::to_value(&entry.mcp).map_err(|error| {
            ErrorData::internal_error(format!("could not encode `{name}`: {error}"), None)
        })?);
    }
    Ok(json!({ "tools": tools }))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

fn schema(value: Value) -> Arc<JsonObject> {
    match value {
        Value::Object(object) => Arc::new(object),
        _ => Arc::new(JsonObject::new()),
    }
}

/// The three meta-tools, their descriptions naming the API and how many tools it has here.
fn meta_tools(catalog: &Catalog) -> Vec<McpTool> {
    let api = catalog.integration().display_name;
    let count = catalog.len();
    let search_input = schema(json!({
        "type": "object",
        "properties": {
            "query": {"type": "string", "minLength": 1, "description": "What you want to do, in words (\"silence alerts during a deploy\")."},
            "tags": {"type": "array", "items": {"type": "string"}, "description": "Only tools with any of these tags."},
            "methods": {"type": "array", "items": {"type": "string"}, "description": "Only these kinds: read, write, custom, or list, get, create, update, delete."},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "description": "How many tools to return (default 5)."}
        },
        "required": ["query"],
        "additionalProperties": false
    }));
    let search_output = schema(json!({
        "type": "object",
        "properties": {
            "tools": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "summary": {"type": "string"},
                    "method": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}}
                },
                "required": ["name", "summary", "method", "tags"]
            }},
            "matched": {"type": "integer", "description": "How many tools matched in all."}
        },
        "required": ["tools", "matched"]
    }));
    let describe_input = schema(json!({
        "type": "object",
        "properties": {
            "names": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": MAX_DESCRIBE, "description": "Tool names from search_tools."}
        },
        "required": ["names"],
        "additionalProperties": false
    }));
    let describe_output = schema(json!({
        "type": "object",
        "properties": {
            "tools": {"type": "array", "items": {"type": "object"}, "description": "Each tool as tools/list would list it: name, description, inputSchema, outputSchema, annotations."}
        },
        "required": ["tools"]
    }));
    let call_input = schema(json!({
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "The tool to call."},
            "arguments": {"type": "object", "description": "Its arguments, as its inputSchema (from describe_tools) says."}
        },
        "required": ["name"],
        "additionalProperties": false
    }));
    let local = |title: &'static str| {
        ToolAnnotations::with_title(title)
            .read_only(true)
            .destructive(false)
            .idempotent(true)
            .open_world(false)
    };
    vec![
        McpTool::new(
            Cow::Borrowed(SEARCH_TOOLS),
            Cow::Owned(format!(
                "Find {api} tools for a task: {count} tools, searched by words. Returns the best \
                 matches' names and one-line summaries. Then describe_tools for their arguments, \
                 then call_tool."
            )),
            search_input,
        )
        .with_title("Search tools")
        .with_raw_output_schema(search_output)
        .with_annotations(local("Search tools")),
        McpTool::new(
            Cow::Borrowed(DESCRIBE_TOOLS),
            Cow::Owned(format!(
                "The full description and input and output JSON Schemas of {api} tools, by name."
            )),
            describe_input,
        )
        .with_title("Describe tools")
        .with_raw_output_schema(describe_output)
        .with_annotations(local("Describe tools")),
        McpTool::new(
            Cow::Borrowed(CALL_TOOL),
            Cow::Owned(format!(
                "Call a tool of the {api} API by name with its arguments; the result is the tool's own. \
                 Tools may change data: check a tool's annotations with describe_tools first."
            )),
            call_input,
        )
        .with_title("Call a tool")
        .with_annotations(
            ToolAnnotations::with_title("Call a tool")
                .read_only(false)
                .destructive(true)
                .idempotent(false)
                .open_world(true),
        ),
    ]
}
