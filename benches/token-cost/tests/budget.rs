//! The context budgets of issue 11, held: discovery exposure of the whole Chronosphere API
//! costs at most 1,000 tokens up front, and a search-then-describe round stays small.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use mcpgen_server::Exposure;
use mcpgen_token_cost::{INTEGRATIONS, measure, tokens};

#[test]
fn the_tokenizer_is_a_real_one() {
    assert_eq!(tokens(""), 0);
    assert!(tokens("list_all_chronosphere_teams") > 1);
    assert!(tokens(&"word ".repeat(100)) >= 100);
}

#[tokio::test]
async fn discovery_costs_at_most_a_thousand_tokens_up_front() {
    let (integration, query) = INTEGRATIONS[0];
    assert_eq!(integration.name, "chronosphere");
    let all = measure(integration, Exposure::All, query).await.unwrap();
    let discovery = measure(integration, Exposure::Discovery, query)
        .await
        .unwrap();
    assert_eq!((all.tools, discovery.tools), (183, 3));
    assert!(
        discovery.list_tokens <= 1_000,
        "discovery lists {} tokens",
        discovery.list_tokens
    );
    assert!(
        all.list_tokens > 100 * discovery.list_tokens,
        "{all:?} {discovery:?}"
    );
    let round = discovery.round_tokens.unwrap();
    assert!(
        round > 0 && round < 5_000,
        "a search and a describe cost {round} tokens"
    );
}
