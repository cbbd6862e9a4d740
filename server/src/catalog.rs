//! The tool list a server advertises, computed once at start-up.
//!
//! [`Catalog::new`] parses every tool's JSON Schema text of one integration into the `Arc`'d maps
//! rmcp sends, so `tools/list` is a clone of ready-made values and a broken schema stops the
//! server before it serves. [`Catalog::select`] narrows a catalog with a [`ToolFilter`] without
//! re-parsing, which is what hosted mode does per MCP server. Lookup by name is how `tools/call`
//! finds a tool, so a tool hidden by the filter cannot be called.
//!
//! `tools/list` is cut into pages of at most [`LIST_PAGE_BYTES`] of encoded tools: a whole API
//! (Chronosphere's 183 tools are 1.2 MB) in one JSON-RPC message is more than clients take (the
//! official Python SDK refuses a server-sent event over 1 MiB). A catalog that fits in one page,
//! which is most of them, has no cursor at all.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use mcpgen_runtime::{Integration, Tool};
use rmcp::model::{JsonObject, Tool as McpTool, ToolAnnotations};

use crate::fields::FieldSelection;
use crate::filter::{FilterError, ToolFilter};

/// One served tool: the registry entry (plan and handler) and its MCP description.
#[derive(Debug, Clone)]
pub(crate) struct CatalogEntry {
    pub(crate) tool: &'static Tool,
    pub(crate) mcp: McpTool,
    /// Bytes of `mcp` as JSON: what it adds to a `tools/list` page.
    encoded_len: usize,
    /// What its `fields` argument may select, for list and get tools that have one.
    pub(crate) fields: Option<FieldSelection>,
}

/// The most encoded tool JSON one `tools/list` page carries (a tool larger than this gets a page
/// of its own). Half the 1 MiB event limit of the official Python SDK, leaving room for the
/// JSON-RPC envelope and for clients with smaller buffers.
pub const LIST_PAGE_BYTES: usize = 512 * 1024;

/// A `tools/list` cursor that this catalog did not hand out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCursor(pub String);

/// The tools of one integration that a server exposes, in registry order.
#[derive(Debug, Clone)]
pub struct Catalog {
    integration: &'static Integration,
    entries: Arc<[CatalogEntry]>,
    index: Arc<HashMap<&'static str, usize>>,
    /// The `tools/list` pages, as ranges of `entries`; always at least one.
    pages: Arc<[Range<usize>]>,
}

impl Catalog {
    /// Every tool of `integration`, with schemas parsed.
    pub fn new(integration: &'static Integration) -> Result<Self, CatalogError> {
        let entries = integration
            .tools
            .iter()
            .map(|&tool| {
                let mcp = mcp_tool(tool)?;
                let encoded_len = crate::budget::json_len(&mcp);
                Ok(CatalogEntry {
                    tool,
                    fields: FieldSelection::of(&mcp),
                    mcp,
                    encoded_len,
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
        let lengths: Vec<usize> = entries.iter().map(|entry| entry.encoded_len).collect();
        Self {
            integration,
            entries: entries.into(),
            index: Arc::new(index),
            pages: pages(&lengths, LIST_PAGE_BYTES).into(),
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

    /// Every MCP tool description, as the pages of `tools/list` return them together.
    pub fn mcp_tools(&self) -> Vec<McpTool> {
        self.entries.iter().map(|entry| entry.mcp.clone()).collect()
    }

    /// One `tools/list` page: the tools from `cursor` (the first page without one) and the
    /// cursor of the next page, `None` on the last. A cursor is the index of the page's first
    /// tool, and only the ones this catalog hands out are accepted.
    pub fn page(
        &self,
        cursor: Option<&str>,
    ) -> Result<(Vec<McpTool>, Option<String>), InvalidCursor> {
        let number = match cursor {
            None => 0,
            Some(cursor) => cursor
                .parse::<usize>()
                .ok()
                .and_then(|start| self.pages.iter().position(|page| page.start == start))
                .filter(|&number| number > 0)
                .ok_or_else(|| InvalidCursor(cursor.to_owned()))?,
        };
        let range = self.pages[number].clone();
        let next = self
            .pages
            .get(number + 1)
            .map(|page| page.start.to_string());
        let tools = self.entries[range].iter().map(|entry| entry.mcp.clone());
        Ok((tools.collect(), next))
    }

    /// How many `tools/list` pages the tools take.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The served tool called `name`; `None` for unknown tools and tools the filter hid.
    pub(crate) fn get(&self, name: &str) -> Option<&CatalogEntry> {
        self.index.get(name).map(|&i| &self.entries[i])
    }

    /// Whether the tool called `name` is served.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
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

/// Cuts items of encoded `lengths` into consecutive pages of at most `budget` bytes each; an
/// item over budget is a page of its own. Always at least one page (empty when there are no
/// items).
fn pages(lengths: &[usize], budget: usize) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, &len) in lengths.iter().enumerate() {
        if i > start && used + len > budget {
            pages.push(start..i);
            (start, used) = (i, 0);
        }
        used += len;
    }
    pages.push(start..lengths.len());
    pages
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

#[cfg(test)]
mod tests {
    use super::pages;

    #[test]
    fn pages_fill_up_to_the_budget_and_an_oversized_tool_stands_alone() {
        let one = |range: std::ops::Range<usize>| vec![range];
        assert_eq!(pages(&[], 10), one(0..0));
        assert_eq!(pages(&[3, 3, 3], 10), one(0..3));
        assert_eq!(pages(&[4, 4, 4, 4], 10), [0..2, 2..4]);
        assert_eq!(pages(&[5, 5], 10), one(0..2), "exactly the budget fits");
        assert_eq!(pages(&[2, 30, 2], 10), [0..1, 1..2, 2..3]);
        assert_eq!(pages(&[30], 10), one(0..1));
    }
}
