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
    /// Each tool's method as filters name it (`list`, ..., a custom method's name), which is
    /// how [`intents`] names the standard kinds.
    methods: Vec<&'static str>,
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
            .map(|(i, entry)| {
                let text = document(catalog.integration(), entry.tool, &entry.mcp);
                (i as u32, text)
            })
            .collect();
        let names = catalog
            .entries()
            .iter()
            .map(|entry| entry.tool.name)
            .collect();
        let methods = catalog
            .entries()
            .iter()
            .map(|entry| entry.tool.method.name())
            .collect();
        let engine = SearchEngineBuilder::<u32>::with_documents(
            Language::English,
            documents
                .into_iter()
                .map(|(id, text)| bm25::Document::new(id, text)),
        )
        .build();
        Self {
            engine,
            names,
            methods,
        }
    }

    /// The tools matching `query`, best first, among those `keep` accepts.
    pub fn search(&self, query: &str, keep: impl Fn(&str) -> bool) -> Vec<Hit> {
        let wanted = intents(query);
        let question = is_question(query);
        let mut hits: Vec<(u32, f32)> = self
            .engine
            .search(query, None)
            .into_iter()
            .filter(|result| keep(self.names[result.document.id as usize]))
            .map(|result| {
                let id = result.document.id;
                let method = self.methods[id as usize];
                let boost = if wanted.contains(&method) {
                    INTENT_BOOST
                } else if wanted.is_empty() && question && matches!(method, "list" | "get") {
                    // A question without a verb we know wants to read.
                    MOOD_BOOST
                } else if wanted.is_empty() && !question && matches!(method, "create" | "update") {
                    // A command with a verb we do not know ("silence", "drop") most often
                    // makes or changes something.
                    MOOD_BOOST
                } else {
                    1.0
                };
                (id, result.score * boost)
            })
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

/// The kinds of method a request asks for, from its verbs: "add a team" wants a create,
/// "which monitors" a list. A resource's tools share most of their words, so BM25 finds the
/// resource and this picks among its tools. Empty when the request names no verb.
fn intents(query: &str) -> Vec<&'static str> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let has = |candidates: &[&str]| words.iter().any(|word| candidates.contains(&word.as_str()));
    let mut found = Vec::new();
    if has(&[
        "create",
        "add",
        "new",
        "define",
        "make",
        "register",
        "connect",
        "import",
        "precompute",
    ]) || (has(&["set"]) && has(&["up"]))
    {
        found.push("create");
    }
    if has(&[
        "update", "change", "edit", "modify", "replace", "rename", "adjust", "route",
    ]) || (has(&["set"]) && !has(&["up"]))
    {
        found.push("update");
    }
    if has(&[
        "delete", "remove", "revoke", "end", "cancel", "retire", "destroy", "disable",
    ]) {
        found.push("delete");
    }
    if has(&["list", "which", "all", "every", "show", "find", "browse"]) {
        found.push("list");
    }
    if has(&[
        "get", "read", "who", "details", "detail", "inspect", "how", "show",
    ]) {
        found.push("get");
    }
    found
}

/// How much a tool whose method the request asks for is preferred.
const INTENT_BOOST: f32 = 1.6;
/// How much a request's mood (a question reads, a command writes) weighs when it names no
/// kind of method.
const MOOD_BOOST: f32 = 1.3;

/// "who is on the SRE team", "which monitors page", "is ... ?": a question, not a command.
fn is_question(query: &str) -> bool {
    let query = query.trim();
    let first = query
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    query.ends_with('?')
        || [
            "what", "which", "who", "whom", "whose", "how", "where", "when", "why", "is", "are",
            "does", "do", "can",
        ]
        .contains(&first.as_str())
}

/// The property names of an object schema, or of its `result` items (a list's page).
fn record_fields(output: Option<&serde_json::Map<String, serde_json::Value>>) -> Vec<String> {
    let Some(output) = output else {
        return Vec::new();
    };
    let properties = output.get("properties").and_then(|p| p.as_object());
    let record = properties
        .and_then(|p| p.get("result"))
        .and_then(|result| result.get("items"))
        .and_then(|items| items.get("properties"))
        .and_then(|p| p.as_object())
        .or(properties);
    record
        .map(|fields| fields.keys().cloned().collect())
        .unwrap_or_default()
}

/// What a tool is found by: its name split into words (`notification_policies` matches
/// "notification policy"), title, resource and what the resource is, tags, description,
/// argument and record field names, and the words for its kind of method.
fn document(
    integration: &mcpgen_runtime::Integration,
    tool: &mcpgen_runtime::Tool,
    mcp: &rmcp::model::Tool,
) -> String {
    let words = |text: &str| text.replace(['_', '-'], " ");
    let names = |keys: Vec<String>| {
        keys.iter()
            .map(|key| words(key))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let arguments = mcp
        .input_schema
        .get("properties")
        .and_then(|properties| properties.as_object())
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    let tags: Vec<String> = tool.tags.iter().map(|tag| words(tag)).collect();
    let parts = [
        words(tool.name),
        tool.title.to_owned(),
        words(tool.resource),
        integration
            .resource_description(tool.resource)
            .unwrap_or_default()
            .to_owned(),
        tags.join(" "),
        tool.description.to_owned(),
        names(arguments),
        names(record_fields(mcp.output_schema.as_deref())),
    ];
    parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::{intents, is_question};

    #[test]
    fn verbs_name_the_kind_of_method_asked_for() {
        assert_eq!(intents("add a team for payments"), ["create"]);
        assert_eq!(intents("set up a notifier"), ["create"]);
        assert_eq!(intents("set the owner of checkout"), ["update"]);
        assert_eq!(intents("remove the old infra team"), ["delete"]);
        assert_eq!(intents("which monitors page the on-call"), ["list"]);
        assert_eq!(intents("show the SLO"), ["list", "get"]);
        assert!(intents("silence alerts for checkout").is_empty());
    }

    #[test]
    fn questions_are_told_from_commands() {
        for question in [
            "who is on the SRE team",
            "Which monitors fire",
            "is checkout muted?",
        ] {
            assert!(is_question(question), "{question}");
        }
        for command in ["silence alerts for checkout", "drop unused metrics", ""] {
            assert!(!is_question(command), "{command}");
        }
    }
}
