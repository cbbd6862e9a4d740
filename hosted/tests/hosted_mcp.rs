//! `/mcp/<token>` in-process against the fake Chronosphere: filters, per-account credentials,
//! API-token auth, and that deleted and expired servers stop at once with one 404.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use chrono::TimeDelta;
use fake_chronosphere::FakeHandle;
use hosted_support::{ALL_TOOLS, Hosting, TempDir, fake, legacy_post, legacy_session, message};
use http::StatusCode;
use mcpgen_hosted::purge;
use serde_json::{Value, json};

const TOKEN: &str = "chronosphere-token-a";

async fn with_fake() -> (TempDir, FakeHandle, Hosting) {
    let dir = TempDir::new();
    let upstream = fake(TOKEN).await;
    let hosting = Hosting::new(&dir, Some(upstream.url())).await;
    (dir, upstream, hosting)
}

fn url(server: &Value) -> String {
    server["url"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_read_only_server_lists_and_calls_only_read_tools() {
    let (_dir, upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting
        .server(
            &account,
            json!({"name": "audit", "config": {"methods": ["read"], "tags": ["teams"]}}),
        )
        .await;
    let url = url(&server);

    assert_eq!(
        hosting.tool_names(&url).await,
        [
            "list_all_chronosphere_teams",
            "get_single_chronosphere_team_by_id"
        ]
    );

    let (status, reply) = hosting
        .mcp(
            &url,
            "tools/call",
            json!({"name": "list_all_chronosphere_teams", "arguments": {}}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let result = &reply["result"];
    assert_ne!(result["isError"], true, "{reply}");
    assert_eq!(
        result["structuredContent"]["result"]
            .as_array()
            .unwrap()
            .len(),
        3,
        "{reply}"
    );
    let request = upstream.state().last_request().unwrap();
    assert_eq!(request.path, "/api/v1/config/teams");
    assert_eq!(
        request.headers.get("api-token").map(String::as_str),
        Some(TOKEN)
    );

    let before = upstream.state().request_count();
    let (status, reply) = hosting
        .mcp(
            &url,
            "tools/call",
            json!({"name": "create_a_chronosphere_team", "arguments": {"name": "x", "slug": "x"}}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(
        reply["error"]["code"], -32602,
        "a hidden tool cannot be called: {reply}"
    );
    assert_eq!(
        upstream.state().request_count(),
        before,
        "nothing reached the upstream"
    );
}

#[tokio::test]
async fn tag_and_exact_method_filters_combine() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let writers = hosting
        .server(
            &account,
            json!({"name": "w", "config": {"methods": ["write"], "tags": ["teams"]}}),
        )
        .await;
    assert_eq!(
        hosting.tool_names(&url(&writers)).await,
        [
            "create_a_chronosphere_team",
            "update_a_chronosphere_team_by_id",
            "delete_a_chronosphere_team_by_id"
        ]
    );
    let exact = hosting
        .server(
            &account,
            json!({"name": "e", "config": {"methods": ["get", "delete"], "tags": ["rbac"]}}),
        )
        .await;
    assert_eq!(
        hosting.tool_names(&url(&exact)).await,
        [
            "get_single_chronosphere_team_by_id",
            "delete_a_chronosphere_team_by_id"
        ]
    );
}

#[tokio::test]
async fn a_patch_changes_the_tools_at_once() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting
        .server(
            &account,
            json!({"name": "s", "config": {"methods": ["read"], "tags": ["teams"]}}),
        )
        .await;
    assert_eq!(hosting.tool_names(&url(&server)).await.len(), 2);
    let path = format!(
        "/integrated-account/{account}/mcp/{}",
        server["id"].as_str().unwrap()
    );
    let (status, _) = hosting
        .admin(
            "PATCH",
            &path,
            Some(json!({"config": {"methods": ["delete"], "tags": ["teams"]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        hosting.tool_names(&url(&server)).await,
        ["delete_a_chronosphere_team_by_id"]
    );
}

#[tokio::test]
async fn two_accounts_reach_the_upstream_with_their_own_credentials() {
    let dir = TempDir::new();
    let upstream_a = fake("token-of-a").await;
    let upstream_b = fake("token-of-b").await;
    // The tenant picks the port, so each account has its own upstream as a real tenant would.
    let hosting = Hosting::new(&dir, Some("http://127.0.0.1:{tenant}".to_owned())).await;
    let account_a = hosting
        .account(&upstream_a.addr().port().to_string(), "token-of-a")
        .await;
    let account_b = hosting
        .account(&upstream_b.addr().port().to_string(), "token-of-b")
        .await;
    let url_a = url(&hosting.server(&account_a, json!({"name": "a"})).await);
    let url_b = url(&hosting.server(&account_b, json!({"name": "b"})).await);

    for url in [&url_a, &url_b, &url_a] {
        let (status, reply) = hosting
            .mcp(
                url,
                "tools/call",
                json!({"name": "list_all_chronosphere_teams", "arguments": {}}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(reply["result"]["isError"], true, "{reply}");
    }
    let tokens = |upstream: &FakeHandle| -> Vec<String> {
        upstream
            .state()
            .requests()
            .iter()
            .map(|r| r.headers.get("api-token").cloned().unwrap_or_default())
            .collect()
    };
    assert_eq!(tokens(&upstream_a), ["token-of-a", "token-of-a"]);
    assert_eq!(tokens(&upstream_b), ["token-of-b"]);
}

#[tokio::test]
async fn require_api_token_auth_needs_a_live_api_token() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting
        .server(
            &account,
            json!({"name": "s", "config": {"require_api_token_auth": true}}),
        )
        .await;
    let guarded = url(&server);
    let (_, issued) = hosting.admin("POST", "/api-tokens", None).await;
    let api_token = issued["token"].as_str().unwrap();

    for bearer in [None, Some("not-a-token"), Some(hosted_support::ADMIN_TOKEN)] {
        let (status, reply) = hosting.mcp(&guarded, "tools/list", json!({}), bearer).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bearer:?}: {reply}");
        assert_eq!(reply["error"], "unauthorized");
    }
    let (status, reply) = hosting
        .mcp(&guarded, "tools/list", json!({}), Some(api_token))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(
        reply["result"]["tools"].as_array().unwrap().len(),
        hosted_support::first_page_len()
    );

    hosting
        .admin(
            "DELETE",
            &format!("/api-tokens/{}", issued["id"].as_str().unwrap()),
            None,
        )
        .await;
    let (status, _) = hosting
        .mcp(&guarded, "tools/list", json!({}), Some(api_token))
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a deleted API token stops working at once"
    );

    // Servers without the flag ignore the header.
    let open = hosting.server(&account, json!({"name": "open"})).await;
    let (status, _) = hosting
        .mcp(&url(&open), "tools/list", json!({}), None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_deleted_and_expired_tokens_get_the_same_404() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let deleted = hosting.server(&account, json!({"name": "deleted"})).await;
    let expiring = hosting
        .server(
            &account,
            json!({"name": "expiring", "expires_at": "2030-01-01T00:02:00Z"}),
        )
        .await;
    let kept = hosting.server(&account, json!({"name": "kept"})).await;
    for server in [&deleted, &expiring, &kept] {
        assert_eq!(hosting.tool_names(&url(server)).await.len(), ALL_TOOLS);
    }

    let path = format!(
        "/integrated-account/{account}/mcp/{}",
        deleted["id"].as_str().unwrap()
    );
    hosting.admin("DELETE", &path, None).await;
    hosting.clock.advance(TimeDelta::seconds(120));

    let unknown = format!("{}/mcp/{}", hosted_support::PUBLIC_URL, "A".repeat(43));
    let undecodable = format!("{}/mcp/%FF%FE", hosted_support::PUBLIC_URL);
    let mut answers = Vec::new();
    for url in [unknown, undecodable, url(&deleted), url(&expiring)] {
        answers.push(hosting.mcp(&url, "tools/list", json!({}), None).await);
    }
    assert_eq!(answers[0].0, StatusCode::NOT_FOUND);
    assert_eq!(
        answers[0].1,
        json!({"error": "not_found", "message": "no MCP server at this URL"})
    );
    assert!(
        answers.iter().all(|answer| *answer == answers[0]),
        "{answers:?}"
    );
    assert_eq!(
        hosting.tool_names(&url(&kept)).await.len(),
        ALL_TOOLS,
        "other servers keep working"
    );
}

#[tokio::test]
async fn expired_servers_vanish_at_once_and_are_purged() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting
        .server(
            &account,
            json!({"name": "short", "expires_at": "2030-01-01T00:01:30Z"}),
        )
        .await;
    let id = server["id"].as_str().unwrap();
    let path = format!("/integrated-account/{account}/mcp/{id}");
    assert_eq!(hosting.tool_names(&url(&server)).await.len(), ALL_TOOLS);
    assert_eq!(hosting.gateway.cached_servers(), 1);

    // Before the purge runs, an expired server is already gone from every view.
    hosting.clock.advance(TimeDelta::seconds(90));
    let (status, _) = hosting
        .mcp(&url(&server), "tools/list", json!({}), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = hosting.admin("GET", &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = hosting
        .admin("GET", &format!("/integrated-account/{account}/mcp"), None)
        .await;
    assert_eq!(list["result"], json!([]));
    assert_eq!(
        row_count(&hosting).await,
        "1",
        "still in the database until purged"
    );

    let purged = purge::purge_once(&hosting.hosted, &hosting.gateway).await;
    assert_eq!(purged, [id]);
    assert_eq!(row_count(&hosting).await, "0");
    assert_eq!(
        hosting.gateway.cached_servers(),
        0,
        "its service and sessions are dropped"
    );
    assert!(
        purge::purge_once(&hosting.hosted, &hosting.gateway)
            .await
            .is_empty()
    );
}

async fn row_count(hosting: &Hosting) -> String {
    hosting.query("SELECT COUNT(*) FROM mcp_servers").await[0][0].clone()
}

#[tokio::test]
async fn deleting_a_server_ends_an_open_session() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting.server(&account, json!({"name": "session"})).await;
    let url = url(&server);
    let session = legacy_session(&hosting, &url).await;
    let path = url
        .strip_prefix(hosted_support::PUBLIC_URL)
        .unwrap()
        .to_owned();
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}});
    let (status, _, text) = hosting
        .send(legacy_post(&path, Some(&session), &list))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        message(&text)["result"]["tools"].as_array().unwrap().len(),
        hosted_support::first_page_len()
    );

    let admin_path = format!(
        "/integrated-account/{account}/mcp/{}",
        server["id"].as_str().unwrap()
    );
    let (status, _) = hosting.admin("DELETE", &admin_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(hosting.gateway.cached_servers(), 0);
    let (status, _, text) = hosting
        .send(legacy_post(&path, Some(&session), &list))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{text}");
    assert_eq!(message(&text)["error"], "not_found");
}

#[tokio::test]
async fn a_server_deleted_by_another_process_stops_at_once() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting.server(&account, json!({"name": "cli"})).await;
    assert_eq!(hosting.tool_names(&url(&server)).await.len(), ALL_TOOLS);
    // Another process (the CLI) on the same database.
    let other = hosting.reopen().await;
    other
        .hosted
        .delete_server(
            None,
            server["id"].as_str().unwrap(),
            mcpgen_hosted::model::Actor::Cli,
        )
        .await
        .unwrap();
    let (status, _) = hosting
        .mcp(&url(&server), "tools/list", json!({}), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        hosting.gateway.cached_servers(),
        1,
        "still cached until the next sweep"
    );
    purge::purge_once(&hosting.hosted, &hosting.gateway).await;
    assert_eq!(hosting.gateway.cached_servers(), 0);
}

#[tokio::test]
async fn a_discovery_server_lists_meta_tools_and_calls_through_them() {
    let (_dir, upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting
        .server(
            &account,
            json!({"name": "d", "config": {"tool_exposure": "discovery", "methods": ["read"]}}),
        )
        .await;
    assert_eq!(server["config"]["tool_exposure"], "discovery", "{server}");
    let url = url(&server);
    assert_eq!(
        hosting.tool_names(&url).await,
        ["search_tools", "describe_tools", "call_tool"]
    );

    let (_, reply) = hosting
        .mcp(
            &url,
            "tools/call",
            json!({"name": "search_tools", "arguments": {"query": "list the teams", "limit": 3}}),
            None,
        )
        .await;
    let found = &reply["result"]["structuredContent"]["tools"];
    assert_eq!(found[0]["name"], "list_all_chronosphere_teams", "{reply}");

    let (_, reply) = hosting
        .mcp(
            &url,
            "tools/call",
            json!({"name": "call_tool", "arguments": {"name": "list_all_chronosphere_teams", "arguments": {}}}),
            None,
        )
        .await;
    assert_ne!(reply["result"]["isError"], true, "{reply}");
    assert_eq!(
        upstream.state().last_request().unwrap().path,
        "/api/v1/config/teams"
    );

    // The filter holds through call_tool: a write tool is unknown, and nothing reaches upstream.
    let before = upstream.state().request_count();
    let (_, reply) = hosting
        .mcp(
            &url,
            "tools/call",
            json!({"name": "call_tool", "arguments": {"name": "create_a_chronosphere_team", "arguments": {"name": "x"}}}),
            None,
        )
        .await;
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
    assert_eq!(upstream.state().request_count(), before);

    // A PATCH back to `all` lists the catalog at once.
    let path = format!(
        "/integrated-account/{account}/mcp/{}",
        server["id"].as_str().unwrap()
    );
    let (status, patched) = hosting
        .admin(
            "PATCH",
            &path,
            Some(json!({"config": {"tool_exposure": "all", "tags": ["teams"]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(
        hosting.tool_names(&url).await,
        [
            "list_all_chronosphere_teams",
            "get_single_chronosphere_team_by_id"
        ]
    );

    let (status, refused) = hosting
        .admin(
            "PATCH",
            &path,
            Some(json!({"config": {"tool_exposure": "some"}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("config.tool_exposure"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_server_result_budget_is_validated_and_applied() {
    let (_dir, upstream, hosting) = with_fake().await;
    upstream.state().seed(10);
    let account = hosting.account("acme", TOKEN).await;
    let path = format!("/integrated-account/{account}/mcp");
    let (status, refused) = hosting
        .admin(
            "POST",
            &path,
            Some(json!({"name": "tiny", "config": {"max_result_bytes": 10}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["error"], "invalid_max_result_bytes");

    let server = hosting
        .server(
            &account,
            json!({"name": "small", "config": {"max_result_bytes": 1024, "tags": ["teams"]}}),
        )
        .await;
    assert_eq!(server["config"]["max_result_bytes"], 1024, "{server}");
    // Thirteen teams are about 2.8 KB: the upstream's one page comes in parts.
    let (_, reply) = hosting
        .mcp(
            &url(&server),
            "tools/call",
            json!({"name": "list_all_chronosphere_teams", "arguments": {}}),
            None,
        )
        .await;
    let page = &reply["result"]["structuredContent"];
    let text = reply["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.len() <= 1024, "{reply}");
    assert!(
        page["next_cursor"]
            .as_str()
            .is_some_and(|cursor| cursor.starts_with("mcpgen:skip=")),
        "{reply}"
    );
}

#[tokio::test]
async fn a_session_opened_on_one_replica_is_served_by_another() {
    let (_dir, _upstream, first) = with_fake().await;
    // A second process on the same database: another replica behind the balancer.
    let second = first.reopen().await;
    let account = first.account("acme", TOKEN).await;
    let server = first.server(&account, json!({"name": "shared"})).await;
    let other = first.server(&account, json!({"name": "other"})).await;
    let url = url(&server);
    let path = url
        .strip_prefix(hosted_support::PUBLIC_URL)
        .unwrap()
        .to_owned();
    let session = legacy_session(&first, &url).await;

    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "list_all_chronosphere_teams", "arguments": {}}});
    let (status, _, text) = second.send(legacy_post(&path, Some(&session), &call)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        message(&text)["result"]["structuredContent"]["result"]
            .as_array()
            .unwrap()
            .len(),
        3,
        "{text}"
    );

    // The session belongs to its server: another server's URL does not know it.
    let other_path = url_path(&other);
    let (status, _, text) = second
        .send(legacy_post(&other_path, Some(&session), &call))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{text}");

    // Deleted through the first replica, refused by the second at once.
    let admin_path = format!(
        "/integrated-account/{account}/mcp/{}",
        server["id"].as_str().unwrap()
    );
    let (status, _) = first.admin("DELETE", &admin_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, text) = second.send(legacy_post(&path, Some(&session), &call)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{text}");
    assert_eq!(
        first.query("SELECT COUNT(*) FROM mcp_sessions").await[0][0],
        "0",
        "its stored sessions went with it"
    );
}

fn url_path(server: &Value) -> String {
    url(server)
        .strip_prefix(hosted_support::PUBLIC_URL)
        .unwrap()
        .to_owned()
}
