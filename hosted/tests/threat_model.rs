//! The points of `docs/security.md`'s threat model that no other test covers: tricks to reach a
//! hidden tool, sessions that outlive their server's expiry, one account's ids used under
//! another, and browser origins and hosts on `/mcp/<token>`.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use axum::body::Body;
use chrono::TimeDelta;
use fake_chronosphere::FakeHandle;
use hosted_support::{Captured, Hosting, TempDir, fake, legacy_post, legacy_session, message};
use http::{HeaderValue, Request, StatusCode};
use serde_json::{Value, json};

const TOKEN: &str = "chronosphere-token-a";
const HIDDEN: &str = "delete_a_chronosphere_team_by_id";
const VISIBLE: &str = "list_all_chronosphere_teams";

async fn with_fake() -> (TempDir, FakeHandle, Hosting) {
    let dir = TempDir::new();
    let upstream = fake(TOKEN).await;
    let hosting = Hosting::new(&dir, Some(upstream.url())).await;
    (dir, upstream, hosting)
}

fn url(server: &Value) -> String {
    server["url"].as_str().unwrap().to_owned()
}

fn path_of(server: &Value) -> String {
    url(server)
        .strip_prefix(hosted_support::PUBLIC_URL)
        .unwrap()
        .to_owned()
}

fn modern_meta() -> Value {
    json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28",
           "io.modelcontextprotocol/clientCapabilities": {}})
}

/// A 2026-07-28 `tools/call` POST; `Mcp-Name` is left out when `name` cannot be a header value.
fn modern_post(path: &str, name: Option<&str>, body: &Value) -> Request<Body> {
    let mut request = Request::post(path)
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call");
    if let Some(value) = name.and_then(|name| HeaderValue::from_str(name).ok()) {
        request = request.header("mcp-name", value);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// Spellings of a hidden tool's name that a lenient lookup might fold onto it.
fn tricks() -> Vec<String> {
    vec![
        HIDDEN.to_uppercase(),
        format!(" {HIDDEN}"),
        format!("{HIDDEN} "),
        format!("{HIDDEN}\n"),
        format!("{HIDDEN}\u{0}"),
        format!("{HIDDEN}\u{200b}"),
        format!("chronosphere/{HIDDEN}"),
        format!("chronosphere.{HIDDEN}"),
        format!("chronosphere__{HIDDEN}"),
        HIDDEN.replace('_', "-"),
        HIDDEN.replacen('a', "\u{430}", 1), // Cyrillic а
        format!("{VISIBLE}/../{HIDDEN}"),
        HIDDEN.to_owned(),
    ]
}

#[tokio::test]
async fn a_hidden_tool_cannot_be_reached_by_any_spelling_or_route() {
    let (_dir, upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let direct = hosting
        .server(
            &account,
            json!({"name": "ro", "config": {"methods": ["read"]}}),
        )
        .await;
    let discovery = hosting
        .server(
            &account,
            json!({"name": "ro-d", "config": {"methods": ["read"], "tool_exposure": "discovery"}}),
        )
        .await;
    let before = upstream.state().request_count();
    let arguments = json!({"id": "team-0001"});

    for name in tricks() {
        // tools/call on the direct server, with the routing header when the name can be one.
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
            "name": name, "arguments": arguments, "_meta": modern_meta()}});
        let (status, _, text) = hosting
            .send(modern_post(&path_of(&direct), Some(&name), &body))
            .await;
        assert!(
            status != StatusCode::OK || message(&text)["error"]["code"] == -32602,
            "{name:?}: {status} {text}"
        );
        // call_tool and describe_tools on the discovery server.
        let (_, reply) = hosting
            .mcp(
                &url(&discovery),
                "tools/call",
                json!({"name": "call_tool", "arguments": {"name": name, "arguments": arguments}}),
                None,
            )
            .await;
        assert_eq!(reply["error"]["code"], -32602, "{name:?}: {reply}");
        let (_, reply) = hosting
            .mcp(
                &url(&discovery),
                "tools/call",
                json!({"name": "describe_tools", "arguments": {"names": [name]}}),
                None,
            )
            .await;
        assert!(
            !reply.to_string().contains("\"inputSchema\""),
            "{name:?} was described: {reply}"
        );
    }

    // A routing header that names a visible tool while the body names the hidden one.
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": HIDDEN, "arguments": arguments, "_meta": modern_meta()}});
    let (status, _, text) = hosting
        .send(modern_post(&path_of(&direct), Some(VISIBLE), &body))
        .await;
    assert!(
        status != StatusCode::OK || message(&text)["error"].is_object(),
        "{status} {text}"
    );

    // Search never offers it either.
    let (_, reply) = hosting
        .mcp(
            &url(&discovery),
            "tools/call",
            json!({"name": "search_tools", "arguments": {"query": "delete a team by id", "limit": 10}}),
            None,
        )
        .await;
    let found = reply["result"]["structuredContent"]["tools"]
        .as_array()
        .unwrap();
    assert!(!found.is_empty(), "{reply}");
    assert!(
        found.iter().all(|tool| tool["name"] != HIDDEN),
        "search offered the hidden tool: {reply}"
    );

    assert_eq!(
        upstream.state().request_count(),
        before,
        "no trick reached the upstream"
    );
}

#[tokio::test]
async fn an_open_session_ends_when_its_server_expires() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting
        .server(
            &account,
            json!({"name": "short", "expires_at": "2030-01-01T00:01:30Z"}),
        )
        .await;
    let url = url(&server);
    let session = legacy_session(&hosting, &url).await;
    let path = url
        .strip_prefix(hosted_support::PUBLIC_URL)
        .unwrap()
        .to_owned();
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": VISIBLE, "arguments": {}}});
    let (status, _, text) = hosting
        .send(legacy_post(&path, Some(&session), &call))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_ne!(message(&text)["result"]["isError"], true, "{text}");

    // One millisecond short of expiry the session still works; at expiry it is refused, before
    // any purge has run, and the database still holds the row.
    hosting.clock.advance(TimeDelta::milliseconds(89_999));
    let (status, _, text) = hosting
        .send(legacy_post(&path, Some(&session), &call))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    hosting.clock.advance(TimeDelta::milliseconds(1));
    let (status, _, text) = hosting
        .send(legacy_post(&path, Some(&session), &call))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{text}");
    assert_eq!(message(&text)["error"], "not_found");
}

#[tokio::test]
async fn one_accounts_ids_do_not_work_under_another_account() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let alice = hosting.account("alice", TOKEN).await;
    let bob = hosting.account("bob", TOKEN).await;
    let server = hosting.server(&alice, json!({"name": "alices"})).await;
    let id = server["id"].as_str().unwrap();
    let under_bob = format!("/integrated-account/{bob}/mcp/{id}");

    let (status, reply) = hosting.admin("GET", &under_bob, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
    let (status, reply) = hosting
        .admin("PATCH", &under_bob, Some(json!({"name": "stolen"})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
    let (status, reply) = hosting.admin("DELETE", &under_bob, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
    let (_, list) = hosting
        .admin("GET", &format!("/integrated-account/{bob}/mcp"), None)
        .await;
    assert_eq!(list["result"], json!([]), "{list}");

    let (status, reply) = hosting
        .admin(
            "GET",
            &format!("/integrated-account/{alice}/mcp/{id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["name"], "alices", "untouched: {reply}");
    let (status, _) = hosting
        .mcp(&url(&server), "tools/list", json!({}), None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn foreign_origins_and_hosts_are_refused_on_server_urls() {
    let (_dir, upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting.server(&account, json!({"name": "web"})).await;
    let path = url(&server)
        .strip_prefix(hosted_support::PUBLIC_URL)
        .unwrap()
        .to_owned();
    let before = upstream.state().request_count();
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": VISIBLE, "arguments": {},
        "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                  "io.modelcontextprotocol/clientCapabilities": {}}}});
    let send = |host: &str, origin: Option<&str>| {
        let mut request = Request::post(&path)
            .header("host", host)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", "tools/call")
            .header("mcp-name", VISIBLE);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.body(Body::from(call.to_string())).unwrap()
    };

    // A page on another site driving the user's browser (CSRF), and a DNS-rebound name.
    let (status, _, text) = hosting
        .send(send("127.0.0.1:8080", Some("https://evil.example")))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    let (status, _, text) = hosting.send(send("evil.example", None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert_eq!(
        upstream.state().request_count(),
        before,
        "neither reached the upstream"
    );

    // The server's own host, and a loopback page, are served.
    let (status, _, text) = hosting
        .send(send("127.0.0.1:8080", Some("http://localhost:3000")))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_ne!(message(&text)["result"]["isError"], true, "{text}");
}

#[tokio::test]
async fn no_secret_reaches_the_logs_even_at_trace() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(mcpgen_server::logging::env_filter(
            Some("trace"),
            &["mcpgen_hosted"],
        ))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Global, not `set_default`: a callsite first hit by another test's thread (no subscriber)
    // would be cached as uninteresting and never reach a thread-local one. Other tests' events
    // land here too, and must be as free of these secrets.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let wrong_credential = "wrong-credential-7f3a9c21e5";
    let rejected = hosting.account("acme", wrong_credential).await;
    let server = hosting
        .server(
            &account,
            json!({"name": "guarded", "config": {"require_api_token_auth": true}}),
        )
        .await;
    let rejected_server = hosting.server(&rejected, json!({"name": "r"})).await;
    let (_, issued) = hosting.admin("POST", "/api-tokens", None).await;
    let api_token = issued["token"].as_str().unwrap();

    let call = |name: &str, arguments: Value| json!({"name": name, "arguments": arguments});
    for (url, bearer, params) in [
        (url(&server), Some(api_token), call(VISIBLE, json!({}))),
        (
            url(&server),
            Some(api_token),
            call("get_single_chronosphere_team_by_id", json!({"id": 7})),
        ),
        (
            url(&server),
            Some("not-the-api-token"),
            call(VISIBLE, json!({})),
        ),
        (url(&rejected_server), None, call(VISIBLE, json!({}))),
    ] {
        hosting.mcp(&url, "tools/call", params, bearer).await;
    }
    let (_, reply) = hosting
        .mcp(
            &url(&rejected_server),
            "tools/call",
            call(VISIBLE, json!({})),
            None,
        )
        .await;
    assert_eq!(
        reply["result"]["isError"], true,
        "the upstream refused: {reply}"
    );

    let logs = captured.text();
    assert!(logs.contains("MCP server created"), "{logs}");
    assert!(logs.contains(VISIBLE), "calls are logged: {logs}");
    let url_tokens: Vec<String> = [&server, &rejected_server]
        .iter()
        .map(|server| url(server).rsplit('/').next().unwrap().to_owned())
        .collect();
    for secret in [
        hosted_support::ADMIN_TOKEN,
        TOKEN,
        wrong_credential,
        api_token,
        &url_tokens[0],
        &url_tokens[1],
    ] {
        assert!(!logs.contains(secret), "{secret} was logged:\n{logs}");
    }
}

#[tokio::test]
async fn api_tokens_and_url_tokens_do_not_open_the_admin_api() {
    let (_dir, _upstream, hosting) = with_fake().await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting.server(&account, json!({"name": "s"})).await;
    let (_, issued) = hosting.admin("POST", "/api-tokens", None).await;
    let url_token = url(&server).rsplit('/').next().unwrap().to_owned();
    for token in [issued["token"].as_str().unwrap(), url_token.as_str()] {
        for (method, path) in [
            ("GET", "/integrated-account".to_owned()),
            ("GET", format!("/integrated-account/{account}/mcp")),
            ("POST", "/api-tokens".to_owned()),
            ("DELETE", format!("/integrated-account/{account}")),
        ] {
            let request = Request::builder()
                .method(method)
                .uri(&path)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            let (status, _, text) = hosting.send(request).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {text}");
        }
    }
    let (status, _) = hosting
        .admin("GET", &format!("/integrated-account/{account}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "the account is still there");
}
