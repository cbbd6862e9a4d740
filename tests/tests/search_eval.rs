//! The discovery search, evaluated: each natural request of `tests/search-eval/chronosphere.json`
//! against the whole Chronosphere API, scored by where its tool ranks. A regression check: the
//! top-3 hit rate must stay at or above 90 %. `--nocapture` prints the figures and every miss.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::path::Path;

use mcpgen_chronosphere::INTEGRATION;
use mcpgen_server::Catalog;
use mcpgen_server::discovery::search::SearchIndex;
use serde::Deserialize;

#[derive(Deserialize)]
struct Eval {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    query: String,
    tool: String,
}

#[test]
fn natural_requests_find_their_tool_in_the_top_three() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("search-eval/chronosphere.json");
    let eval: Eval = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert!(eval.cases.len() >= 60, "the set keeps at least 60 requests");

    let catalog = Catalog::new(&INTEGRATION).unwrap();
    let index = SearchIndex::new(&catalog);
    let (mut top1, mut top3) = (0, 0);
    let mut misses = Vec::new();
    for case in &eval.cases {
        assert!(catalog.contains(&case.tool), "{} is not a tool", case.tool);
        let hits = index.search(&case.query, |_| true);
        let rank = hits.iter().position(|hit| hit.name == case.tool);
        match rank {
            Some(0) => {
                top1 += 1;
                top3 += 1;
            }
            Some(1 | 2) => top3 += 1,
            _ => misses.push(format!(
                "{:?}: wanted {} (rank {}), got {:?}",
                case.query,
                case.tool,
                rank.map_or("none".to_owned(), |r| (r + 1).to_string()),
                hits.iter().take(3).map(|hit| hit.name).collect::<Vec<_>>()
            )),
        }
    }
    let n = eval.cases.len() as f64;
    let (rate1, rate3) = (top1 as f64 / n * 100.0, top3 as f64 / n * 100.0);
    println!(
        "{} requests: top-1 {top1} ({rate1:.1} %), top-3 {top3} ({rate3:.1} %)",
        eval.cases.len()
    );
    for miss in &misses {
        println!("miss: {miss}");
    }
    assert!(
        rate3 >= 90.0,
        "top-3 hit rate {rate3:.1} % is under 90 %:\n{}",
        misses.join("\n")
    );
}
