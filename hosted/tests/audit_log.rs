//! The audit log: every admin change (API, CLI, key rotation) leaves one entry with who, what,
//! which record and a non-secret detail; failed attempts leave none; no secret ever reaches it;
//! `GET /audit-log` pages like every admin list and needs the admin token.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use std::sync::Arc;

use axum::body::Body;
use hosted_support::{ADMIN_TOKEN, Hosting, TempDir};
use http::{Request, StatusCode};
use mcpgen_hosted::crypto::SecretKey;
use mcpgen_hosted::model::Actor;
use mcpgen_runtime::Integration;
use serde_json::{Value, json};

const API_TOKEN: &str = "upstream-SECRET-api-token-0123456789";
const TENANT: &str = "tenant-SECRET-acme";

static INTEGRATIONS: &[&Integration] = &[&mcpgen_chronosphere::INTEGRATION];

/// Every entry, through the admin API, following `next_cursor` with pages of `limit`.
async fn audit_log(hosting: &Hosting, limit: usize) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/audit-log?limit={limit}&next_cursor={cursor}"),
            None => format!("/audit-log?limit={limit}"),
        };
        let (status, page) = hosting.admin("GET", &path, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let result = page["result"].as_array().unwrap();
        assert!(result.len() <= limit);
        entries.extend(result.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return entries,
        }
    }
}

/// Every column of every audit row, as text.
async fn audit_rows(hosting: &Hosting) -> Vec<String> {
    hosting
        .query(
            "SELECT seq, at, actor, action, target_kind, target_id, detail FROM audit_log ORDER BY seq",
        )
        .await
        .into_iter()
        .map(|row| row.join("|"))
        .collect()
}

fn url_token(server: &Value) -> String {
    server["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// Runs the operator CLI in-process on the hosting's database, on a thread of its own (it
/// starts its own runtime); the commands used here need no secret from the environment.
fn cli(hosting: &Hosting, args: &[&str]) -> u8 {
    let mut argv = vec!["mcp-server".to_owned()];
    argv.extend(args.iter().map(|arg| (*arg).to_owned()));
    argv.extend(["--database".to_owned(), hosting.database.clone()]);
    std::thread::spawn(move || {
        let no_env = |_: &str| None;
        mcpgen_hosted::command::run(INTEGRATIONS, argv, &no_env)
    })
    .join()
    .unwrap()
}

/// Each admin action, by the API and the CLI, and a key rotation: one entry each, in order,
/// with the actor, the action, the target and a detail; and no secret anywhere in the log.
#[tokio::test]
async fn every_admin_action_is_recorded_and_no_secret_is() {
    let dir = TempDir::new();
    let hosting = Hosting::new(&dir, None).await;
    let account = hosting.account(TENANT, API_TOKEN).await;
    let server = hosting
        .server(
            &account,
            json!({"name": "audit me", "config": {"methods": ["read"], "tags": ["teams"]}, "expires_at": "2030-02-01T00:00:00Z"}),
        )
        .await;
    let server_id = server["id"].as_str().unwrap().to_owned();
    let servers = format!("/integrated-account/{account}/mcp");
    let (status, _) = hosting
        .admin(
            "PATCH",
            &format!("{servers}/{server_id}"),
            Some(json!({"name": "renamed", "expires_at": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = hosting
        .admin("DELETE", &format!("{servers}/{server_id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, issued) = hosting.admin("POST", "/api-tokens", None).await;
    let token_id = issued["id"].as_str().unwrap().to_owned();
    let api_token = issued["token"].as_str().unwrap().to_owned();
    let (status, _) = hosting
        .admin("DELETE", &format!("/api-tokens/{token_id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // The CLI: a server created and deleted by the operator.
    let second = hosting.server(&account, json!({"name": "kept"})).await;
    assert_eq!(
        cli(
            &hosting,
            &[
                "servers",
                "create",
                "--account",
                &account,
                "--name",
                "by cli",
                "--methods",
                "read"
            ]
        ),
        0
    );
    let cli_server = hosting
        .hosted
        .servers(Some(&account), None, 10)
        .await
        .unwrap()
        .result
        .into_iter()
        .find(|server| server.name == "by cli")
        .unwrap();
    assert_eq!(cli(&hosting, &["servers", "rm", &cli_server.id]), 0);
    // A key rotation, as the CLI does it.
    let new_key = SecretKey::generate();
    let rotated = hosting
        .hosted
        .rotate_key(&hosting.key, &new_key, Actor::Cli, Arc::new(|_| {}))
        .await
        .unwrap();
    assert_eq!(rotated, 1);
    let (status, _) = hosting
        .admin("DELETE", &format!("/integrated-account/{account}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let entries = audit_log(&hosting, 200).await;
    let summary: Vec<(&str, &str, &str, Option<&str>)> = entries
        .iter()
        .map(|entry| {
            (
                entry["actor"].as_str().unwrap(),
                entry["action"].as_str().unwrap(),
                entry["target"]["kind"].as_str().unwrap(),
                entry["target"]["id"].as_str(),
            )
        })
        .collect();
    let second_id = second["id"].as_str().unwrap();
    assert_eq!(
        summary,
        [
            (
                "admin",
                "account.create",
                "integrated_account",
                Some(account.as_str())
            ),
            (
                "admin",
                "server.create",
                "mcp_server",
                Some(server_id.as_str())
            ),
            (
                "admin",
                "server.update",
                "mcp_server",
                Some(server_id.as_str())
            ),
            (
                "admin",
                "server.delete",
                "mcp_server",
                Some(server_id.as_str())
            ),
            (
                "admin",
                "api_token.create",
                "api_token",
                Some(token_id.as_str())
            ),
            (
                "admin",
                "api_token.delete",
                "api_token",
                Some(token_id.as_str())
            ),
            ("admin", "server.create", "mcp_server", Some(second_id)),
            (
                "cli",
                "server.create",
                "mcp_server",
                Some(cli_server.id.as_str())
            ),
            (
                "cli",
                "server.delete",
                "mcp_server",
                Some(cli_server.id.as_str())
            ),
            ("cli", "key.rotate", "database", None),
            (
                "admin",
                "account.delete",
                "integrated_account",
                Some(account.as_str())
            ),
        ]
    );
    assert_eq!(entries[0]["detail"], json!({"integration": "chronosphere"}));
    assert_eq!(
        entries[1]["detail"],
        json!({"account_id": account, "name": "audit me", "methods": ["read"], "tags": ["teams"],
               "require_api_token_auth": false, "tool_exposure": "all",
               "expires_at": "2030-02-01T00:00:00Z"})
    );
    assert_eq!(entries[2]["detail"]["name"], "renamed");
    assert_eq!(
        entries[2]["detail"]["changed"],
        json!(["name", "expires_at"])
    );
    assert_eq!(entries[2]["detail"]["expires_at"], Value::Null);
    assert_eq!(
        entries[3]["detail"],
        json!({"account_id": account, "name": "renamed"})
    );
    assert_eq!(entries[9]["detail"], json!({"accounts": 1}));
    for entry in &entries {
        // The API's clock is the test's; the CLI runs on the system clock.
        let at = entry["at"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{entry}");
        if entry["actor"] == "admin" {
            assert!(at.starts_with("2030-01-01T00:00:00"), "{entry}");
        }
        assert!(entry["id"].as_str().unwrap().starts_with("aud_"), "{entry}");
    }

    // No secret in the log: not through the API, not in any column of any row.
    let served = serde_json::to_string(&entries).unwrap();
    let stored = audit_rows(&hosting).await.join("\n");
    assert_eq!(audit_rows(&hosting).await.len(), entries.len());
    let secrets = [
        API_TOKEN.to_owned(),
        TENANT.to_owned(),
        url_token(&server),
        url_token(&second),
        api_token,
        ADMIN_TOKEN.to_owned(),
        hosting.key.to_hex(),
        new_key.to_hex(),
    ];
    for secret in &secrets {
        assert!(
            !served.contains(secret.as_str()),
            "{secret:?} in the audit API: {served}"
        );
        assert!(
            !stored.contains(secret.as_str()),
            "{secret:?} in the audit table: {stored}"
        );
    }
    assert!(
        stored.contains("audit me"),
        "sanity: the scan reads the rows"
    );
}

/// Failed changes (unknown ids, a taken name, invalid input, a no-op patch) record nothing.
#[tokio::test]
async fn refused_and_empty_changes_record_nothing() {
    let dir = TempDir::new();
    let hosting = Hosting::new(&dir, None).await;
    let account = hosting.account(TENANT, API_TOKEN).await;
    let server = hosting.server(&account, json!({"name": "taken"})).await;
    let server_id = server["id"].as_str().unwrap();
    let before = audit_rows(&hosting).await;
    assert_eq!(before.len(), 2);
    let missing = "acct_0000000000000000000000000000";
    let servers = format!("/integrated-account/{account}/mcp");
    let attempts = [
        ("DELETE", format!("/integrated-account/{missing}"), None),
        (
            "DELETE",
            format!("{servers}/mcp_0000000000000000000000000000"),
            None,
        ),
        (
            "DELETE",
            "/api-tokens/tok_0000000000000000000000000000".to_owned(),
            None,
        ),
        ("POST", servers.clone(), Some(json!({"name": "taken"}))),
        (
            "POST",
            servers.clone(),
            Some(json!({"name": "x", "config": {"methods": ["nope"]}})),
        ),
        (
            "PATCH",
            format!("{servers}/{server_id}"),
            Some(json!({"name": "taken"})),
        ),
        (
            "POST",
            "/integrated-account".to_owned(),
            Some(json!({"integration": "nope", "credentials": {}})),
        ),
    ];
    for (method, path, body) in attempts {
        let (status, reply) = hosting.admin(method, &path, body).await;
        assert!(
            status.is_client_error() || status == StatusCode::OK,
            "{method} {path}: {status} {reply}"
        );
    }
    assert_eq!(audit_rows(&hosting).await, before);
}

/// `GET /audit-log` pages exactly like the other lists: `limit` 1-200, `next_cursor` passed
/// back unchanged, oldest first, no entry twice or missing; bad values are 400s.
#[tokio::test]
async fn the_audit_log_pages_like_every_admin_list() {
    let dir = TempDir::new();
    let hosting = Hosting::new(&dir, None).await;
    for _ in 0..7 {
        let (status, _) = hosting.admin("POST", "/api-tokens", None).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let all = audit_log(&hosting, 200).await;
    assert_eq!(all.len(), 7);
    for limit in [1, 2, 3, 7] {
        assert_eq!(audit_log(&hosting, limit).await, all, "limit {limit}");
    }
    let ids: Vec<&str> = all
        .iter()
        .map(|entry| entry["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "ids sort in commit order");
    let (_, page) = hosting.admin("GET", "/audit-log?limit=7", None).await;
    assert_eq!(
        page["next_cursor"],
        Value::Null,
        "a full last page has no cursor"
    );
    let (_, page) = hosting.admin("GET", "/audit-log", None).await;
    assert_eq!(
        page["result"].as_array().unwrap().len(),
        7,
        "default limit is 50"
    );

    for (query, code) in [
        ("limit=0", "invalid_limit"),
        ("limit=201", "invalid_limit"),
        ("limit=-1", "invalid_limit"),
        (
            "next_cursor=acct_0000000000000000000000000000",
            "invalid_cursor",
        ),
        (
            "next_cursor=aud_ffffffffffffffffffffffffffff",
            "invalid_cursor",
        ),
        ("next_cursor=1%20OR%201%3D1", "invalid_cursor"),
        ("after=aud_0000000000000000000000000001", "invalid_query"),
    ] {
        let (status, reply) = hosting
            .admin("GET", &format!("/audit-log?{query}"), None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {reply}");
        assert_eq!(reply["error"], code, "{query}: {reply}");
    }
    // A cursor past the end is an empty page.
    let (status, page) = hosting
        .admin(
            "GET",
            "/audit-log?next_cursor=aud_0000000000000000000000ffffff",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page, json!({"result": [], "next_cursor": null}));
}

/// Like every admin route, the audit log needs the admin token, and only takes GET.
#[tokio::test]
async fn the_audit_log_needs_the_admin_token() {
    let dir = TempDir::new();
    let hosting = Hosting::new(&dir, None).await;
    hosting.admin("POST", "/api-tokens", None).await;
    let (_, issued) = hosting.admin("POST", "/api-tokens", None).await;
    let api_token = issued["token"].as_str().unwrap().to_owned();
    for authorization in [
        None,
        Some("Bearer wrong-token-0123456789".to_owned()),
        Some(format!("Bearer {api_token}")),
        Some(ADMIN_TOKEN.to_owned()),
    ] {
        let mut request = Request::get("/audit-log");
        if let Some(value) = &authorization {
            request = request.header("authorization", value);
        }
        let (status, headers, body) = hosting.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{authorization:?}: {body}"
        );
        assert_eq!(headers.get("www-authenticate").unwrap(), "Bearer");
        assert!(!body.contains("api_token.create"), "{body}");
    }
    for method in ["POST", "DELETE", "PATCH"] {
        let (status, reply) = hosting.admin(method, "/audit-log", None).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}: {reply}");
    }
}
