#![allow(clippy::unwrap_used)]
mod common;
use common::*;
use serde_json::json;
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency() {
    let (fake, client) = fake(50).await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/config/teams/team-0001", fake.url());
    let n = 5000;
    for _ in 0..500 { call_tool(&client, &GET, json!({"id": "team-0001"})).await.unwrap(); http.get(&url).header("API-Token", TOKEN).send().await.unwrap().bytes().await.unwrap(); }
    let t = Instant::now();
    for _ in 0..n { http.get(&url).header("API-Token", TOKEN).send().await.unwrap().bytes().await.unwrap(); }
    let raw = t.elapsed() / n;
    let t = Instant::now();
    for _ in 0..n { call_tool(&client, &GET, json!({"id": "team-0001"})).await.unwrap(); }
    let rt = t.elapsed() / n;
    let t = Instant::now();
    for _ in 0..n { call_tool(&client, &LIST, json!({"limit": 50})).await.unwrap(); }
    let list = t.elapsed() / n;
    let lurl = format!("{}/api/v1/config/teams?page.max_size=50", fake.url());
    let t = Instant::now();
    for _ in 0..n { http.get(&lurl).header("API-Token", TOKEN).send().await.unwrap().bytes().await.unwrap(); }
    let rawlist = t.elapsed() / n;
    eprintln!("raw get {raw:?} runtime get {rt:?} | raw list50 {rawlist:?} runtime list50 {list:?}");
}

#[tokio::test]
async fn breakdown() {
    use mcpgen_runtime::Page;
    let (fake, _client) = fake(50).await;
    let lurl = format!("{}/api/v1/config/teams?page.max_size=50", fake.url());
    let bytes = reqwest::Client::new().get(&lurl).header("API-Token", TOKEN).send().await.unwrap().bytes().await.unwrap();
    let n = 3000u32;
    let t = Instant::now();
    let mut v = serde_json::Value::Null;
    for _ in 0..n { v = serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(); }
    let parse = t.elapsed() / n;
    let teams = v["teams"].clone();
    let page = json!({"result": teams, "next_cursor": null});
    let t = Instant::now();
    for _ in 0..n { let _p: Page<ChronosphereTeam> = serde_path_to_error::deserialize(page.clone()).unwrap(); }
    let ptе = t.elapsed() / n;
    let t = Instant::now();
    for _ in 0..n { let _p: Page<ChronosphereTeam> = serde_json::from_value(page.clone()).unwrap(); }
    let plain = t.elapsed() / n;
    let t = Instant::now();
    for _ in 0..n { let _p = <Page<ChronosphereTeam> as serde::Deserialize>::deserialize(&page).unwrap(); }
    let byref = t.elapsed() / n;
    let t = Instant::now();
    for _ in 0..n { let _c = page.clone(); }
    let clone = t.elapsed() / n;
    let p: Page<ChronosphereTeam> = serde_json::from_value(page.clone()).unwrap();
    let t = Instant::now();
    for _ in 0..n { let _v = serde_json::to_value(&p).unwrap(); }
    let enc = t.elapsed() / n;
    eprintln!("bytes {} parse {parse:?} clone {clone:?} p2e(owned) {ptе:?} plain(owned) {plain:?} byref {byref:?} encode {enc:?}", bytes.len());
}
