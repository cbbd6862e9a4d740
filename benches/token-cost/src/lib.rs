//! What tools cost a model's context: the `tools/list` a client loads up front, per tool, and
//! in discovery exposure one typical search-then-describe round, in bytes and in o200k tokens
//! (GPT-4o's tokenizer; other models' counts differ by some percent, not by orders).
//!
//! Everything is measured on the real handler, in process: the same tools and answers a client
//! gets over either transport.

use mcpgen_runtime::{Credentials, Integration, UpstreamConfig};
use mcpgen_server::{Exposure, Server};
use serde_json::{Value, json};

/// The integrations of this repository's `mcp-server`, each with a request typical of it for
/// the discovery round.
pub const INTEGRATIONS: [(&Integration, &str); 3] = [
    (
        &mcpgen_chronosphere::INTEGRATION,
        "silence alerts for checkout during the deploy",
    ),
    (&mcpgen_github::INTEGRATION, "open an issue in a repository"),
    (&mcpgen_pagerduty::INTEGRATION, "which incidents are open"),
];

/// The figures of one integration in one exposure mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    /// `chronosphere`.
    pub integration: &'static str,
    /// `all` or `discovery`.
    pub exposure: &'static str,
    /// How many tools `tools/list` lists.
    pub tools: usize,
    /// The listed tools as compact JSON, `{"tools": [...]}`.
    pub list_bytes: usize,
    /// The same in o200k tokens.
    pub list_tokens: usize,
    /// The tokens of the text a `search_tools` and a `describe_tools` of its best hit answer
    /// (discovery only).
    pub round_tokens: Option<usize>,
}

impl Cost {
    /// Tokens per listed tool.
    pub fn tokens_per_tool(&self) -> usize {
        self.list_tokens.checked_div(self.tools).unwrap_or(0)
    }
}

/// o200k tokens of `text`.
pub fn tokens(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton()
        .encode_with_special_tokens(text)
        .len()
}

/// Measures `integration` in `exposure`; `query` is the discovery round's request.
pub async fn measure(
    integration: &'static Integration,
    exposure: Exposure,
    query: &str,
) -> Result<Cost, String> {
    let credentials = integration
        .credentials
        .iter()
        .fold(Credentials::new(), |credentials, spec| {
            credentials.with(spec.name, "measure")
        });
    // Nothing is sent upstream: a plain-HTTP base keeps TLS out of this tool.
    let upstream = UpstreamConfig {
        base_url: Some("http://127.0.0.1:9".to_owned()),
        ..UpstreamConfig::default()
    };
    let server = Server::builder(integration)
        .exposure(exposure)
        .credentials(credentials)
        .upstream(upstream)
        .build()
        .map_err(|error| error.to_string())?;
    let handler = server.handler();
    let listed = handler.listed_tools();
    let list = serde_json::to_string(&json!({ "tools": listed })).map_err(|e| e.to_string())?;
    let round_tokens = match exposure {
        Exposure::All => None,
        Exposure::Discovery => Some(round(handler, query).await?),
    };
    Ok(Cost {
        integration: integration.name,
        exposure: exposure.as_str(),
        tools: listed.len(),
        list_bytes: list.len(),
        list_tokens: tokens(&list),
        round_tokens,
    })
}

/// A search for `query`, then a describe of its best hit: the tokens of both answers' text.
async fn round(handler: &mcpgen_server::McpHandler, query: &str) -> Result<usize, String> {
    let arguments = |value: Value| value.as_object().cloned().unwrap_or_default();
    let found = handler
        .call("search_tools", arguments(json!({ "query": query })))
        .await
        .map_err(|error| error.message.to_string())?;
    let best = found
        .structured_content
        .as_ref()
        .and_then(|content| content["tools"][0]["name"].as_str())
        .ok_or_else(|| format!("`{query}` found no tool"))?
        .to_owned();
    let described = handler
        .call("describe_tools", arguments(json!({ "names": [best] })))
        .await
        .map_err(|error| error.message.to_string())?;
    Ok(tokens(&text_of(&found)) + tokens(&text_of(&described)))
}

/// The text blocks of a tool result: what a client shows the model.
fn text_of(result: &rmcp::model::CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|block| block.as_text().map(|text| text.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every integration in both modes.
pub async fn measure_all() -> Result<Vec<Cost>, String> {
    let mut costs = Vec::new();
    for (integration, query) in INTEGRATIONS {
        for exposure in [Exposure::All, Exposure::Discovery] {
            costs.push(measure(integration, exposure, query).await?);
        }
    }
    Ok(costs)
}

/// The figures as a Markdown table.
pub fn table(costs: &[Cost]) -> String {
    let mut out = String::from(
        "| integration | exposure | tools | tools/list bytes | tools/list tokens | tokens per tool | search + describe tokens |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for cost in costs {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            cost.integration,
            cost.exposure,
            cost.tools,
            cost.list_bytes,
            cost.list_tokens,
            cost.tokens_per_tool(),
            cost.round_tokens
                .map_or("-".to_owned(), |tokens| tokens.to_string()),
        ));
    }
    out
}
