//! Ranked search over a catalog's tools: BM25 (the `bm25` crate: English stemming and stop
//! words) over each tool's name, title, description, tags, resource and argument names.
//!
//! The index is built once per catalog, when a discovery-mode handler is made. Ties keep the
//! catalog's order, so the same query always gives the same ranking.

use bm25::{Language, SearchEngine, SearchEngineBuilder};

use crate::catalog::Catalog;

/// The searchable text of every tool of one catalog.
pub struct SearchIndex {
    engine: SearchEngine<u32>,
    /// Tool names by their position in the catalog (the document ids).
    names: Vec<&'static str>,
}

/// One ranked tool.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The tool's name.
    pub name: &'static str,
    /// Its BM25 score; higher is better.
    pub score: f32,
}

impl SearchIndex {
    /// Indexes every tool of `catalog`.
    pub fn new(catalog: &Catalog) -> Self {
        let documents: Vec<(u32, String)> = catalog
            .entries()
            .iter()
            .enumerate()
            .map(|(i, entry)| (i as u32, document(entry.tool, &entry.mcp.input_schema)))
            .collect();
        let names = catalog.entries().iter().map(|entry| entry.tool.name).collect();
        let engine = SearchEngineBuilder::<u32>::with_documents(
            Language::English,
            documents
                .into_iter()
                .map(|(id, text)| bm25::Document::new(id, text)),
        )
        .build();
        Self { engine, names }
    }

    /// The tools matching `query`, best first, among those `keep` accepts.
    pub fn search(&self, query: &str, keep: impl Fn(&str) -> bool) -> Vec<Hit> {
        let mut hits: Vec<(u32, f32)> = self
            .engine
            .search(query, None)
            .into_iter()
            .map(|result| (result.document.id, result.score))
            .filter(|&(id, _)| keep(self.names[id as usize]))
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.into_iter()
            .map(|(id, score)| Hit {
                name: self.names[id as usize],
                score,
            })
            .collect()
    }
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("tools", &self.names.len())
            .finish()
    }
}

/// What a tool is found by. Snake-case names are split into words (`notification_policies`
/// matches "notification policy"); the title and resource are repeated, because they say what
/// the tool is about more surely than a long description does.
fn document(tool: &mcpgen_runtime::Tool, input: &serde_json::Map<String, serde_json::Value>) -> String {
    let words = |text: &str| text.replace(['_', '-'], " ");
    let arguments: Vec<String> = input
        .get("properties")
        .and_then(|properties| properties.as_object())
        .map(|properties| properties.keys().map(|name| words(name)).collect())
        .unwrap_or_default();
    let tags: Vec<String> = tool.tags.iter().map(|tag| words(tag)).collect();
    let parts = [
        words(tool.name),
        tool.title.to_owned(),
        tool.title.to_owned(),
        words(tool.resource),
        words(tool.resource),
        tool.method.name().to_owned(),
        tags.join(" "),
        tool.description.to_owned(),
        arguments.join(" "),
    ];
    parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
