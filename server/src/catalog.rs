//! The tool list a server advertises, computed once at start-up.
//!
//! [`Catalog::new`] parses every tool's JSON Schema text of one integration into the `Arc`'d maps
//! rmcp sends, so `tools/list` is a clone of ready-made values and a broken schema stops the
//! server before it serves. [`Catalog::select`] narrows a catalog with a [`ToolFilter`] without
//! re-parsing, which is what hosted mode does per MCP server. Lookup by name is how `tools/call`
//! finds a tool, so a tool hidden by the filter cannot be called.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use mcpgen_runtime::{Integration, Tool};
use rmcp::model::{JsonObject, Tool as McpTool, ToolAnnotations};

use crate::filter::{FilterError, ToolFilter};

/// One served tool: the registry entry (plan and handler) and its MCP description.
#[derive(Debug, Clone)]
pub(crate) struct CatalogEntry {
    pub(crate) tool: &'static Tool,
    pub(crate) mcp: McpTool,
}

/// The tools of one integration that a server exposes, in registry order.
#[derive(Debug, Clone)]
pub struct Catalog {
    integration: &'static Integration,
    entries: Arc<[CatalogEntry]>,
    index: Arc<HashMap<&'static str, usize>>,
}

impl Catalog {
    /// Every tool of `integration`, with schemas parsed.
    pub fn new(integration: &'static Integration) -> Result<Self, CatalogError> {
        let entries = integration
            .tools
            .iter()
            .map(|&tool| {
                Ok(CatalogEntry {
                    tool,
                    mcp: mcp_tool(tool)?,
                })
            })
            .collect::<Result<Vec<_>, CatalogError>>()?;
        Ok(Self::from_entries(integration, entries))
    }

    /// The tools `filter` keeps (see [`ToolFilter::select`] for the errors).
    pub fn select(&self, filter: &ToolFilter) -> Result<Self, FilterError> {
        let kept = filter.select(self.integration)?;
        let entries = self
            .entries
            .iter()
            .filter(|entry| kept.iter().any(|tool| std::ptr::eq(*tool, entry.tool)));
        Ok(Self::from_entries(
            self.integration,
            entries.cloned().collect(),
        ))
    }

    fn from_entries(integration: &'static Integration, entries: Vec<CatalogEntry>) -> Self {
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, entry)| (entry.tool.name, i))
            .collect();
        Self {
            integration,
            entries: entries.into(),
            index: Arc::new(index),
        }
    }

    /// The integration the tools belong to.
    pub(crate) fn integration(&self) -> &'static Integration {
        self.integration
    }

    /// Every served tool, in registry order.
    pub(crate) fn entries(&self) -> &[CatalogEntry] {
        &self.entries
    }

    /// The MCP tool descriptions, as `tools/list` returns them.
    pub fn mcp_tools(&self) -> Vec<McpTool> {
        self.entries.iter().map(|entry| entry.mcp.clone()).collect()
    }

    /// The served tool called `name`; `None` for unknown tools and tools the filter hid.
    pub(crate) fn get(&self, name: &str) -> Option<&CatalogEntry> {
        self.index.get(name).map(|&i| &self.entries[i])
    }

    /// How many tools are served.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No tool is served (a filter that keeps nothing is refused, so only an integration
    /// without tools gives this).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The MCP description of `tool`: parsed schemas, title and every annotation set explicitly
/// (clients assume destructive and non-idempotent when a hint is absent).
pub fn mcp_tool(tool: &'static Tool) -> Result<McpTool, CatalogError> {
    let input = parse_schema(tool, "input", tool.input_schema)?;
    let output = parse_schema(tool, "output", tool.output_schema)?;
    let annotations = ToolAnnotations::with_title(tool.title)
        .read_only(tool.annotations.read_only)
        .destructive(tool.annotations.destructive)
        .idempotent(tool.annotations.idempotent)
        .open_world(tool.annotations.open_world);
    Ok(McpTool::new(
        Cow::Borrowed(tool.name),
        Cow::Borrowed(tool.description),
        input,
    )
    .with_title(tool.title)
    .with_raw_output_schema(output)
    .with_annotations(annotations))
}

fn parse_schema(
    tool: &Tool,
    which: &'static str,
    text: &str,
) -> Result<Arc<JsonObject>, CatalogError> {
    let schema: JsonObject = serde_json::from_str(text).map_err(|source| CatalogError::Schema {
        tool: tool.name,
        which,
        reason: source.to_string(),
    })?;
    // MCP requires an object input schema; output schemas may be any schema on 2026-07-28
    // (rmcp drops non-object ones for older peers), so only the input is checked.
    if which == "input" && schema.get("type").and_then(|t| t.as_str()) != Some("object") {
        return Err(CatalogError::Schema {
            tool: tool.name,
            which,
            reason: "the root must be `\"type\": \"object\"`".to_owned(),
        });
    }
    Ok(Arc::new(schema))
}

/// A generated tool description that cannot be served. This is a generator bug: regenerate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// A tool's schema text is not JSON, or its input schema is not an object schema.
    #[error(
        "tool `{tool}` has an invalid {which} schema: {reason} (regenerate with `cargo run -p generator`)"
    )]
    Schema {
        /// The tool's name.
        tool: &'static str,
        /// `input` or `output`.
        which: &'static str,
        /// The JSON parser's error, or what the schema lacks.
        reason: String,
    },
}
