//! The hosted database: what is (not) in the file, durability across a restart, migrations,
//! and the key check.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use std::sync::Arc;

use chrono::TimeDelta;
use hosted_support::{Hosting, TempDir, fake, start_time};
use http::StatusCode;
use mcpgen_hosted::clock::ManualClock;
use mcpgen_hosted::crypto::{Cipher, SecretKey};
use mcpgen_hosted::{Hosted, HostedSettings, store};
use serde_json::json;

const API_TOKEN: &str = "upstream-api-token-PLAINTEXT-marker";
const TENANT: &str = "tenant-PLAINTEXT-marker";

/// Everything SQLite wrote: the database file and its write-ahead log.
fn database_bytes(hosting: &Hosting) -> Vec<u8> {
    let mut bytes = std::fs::read(&hosting.db).unwrap();
    let wal = hosting.db.with_extension("db-wal");
    if let Ok(more) = std::fs::read(wal) {
        bytes.extend(more);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn the_database_holds_no_raw_token_and_no_plaintext_credential() {
    let dir = TempDir::new();
    let hosting = Hosting::new_sqlite(&dir, None).await;
    let account = hosting.account(TENANT, API_TOKEN).await;
    let server = hosting.server(&account, json!({"name": "s"})).await;
    let url_token = server["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let (_, issued) = hosting.admin("POST", "/api-tokens", None).await;
    let api_token = issued["token"].as_str().unwrap().to_owned();

    let bytes = database_bytes(&hosting);
    assert!(
        contains(&bytes, &account),
        "sanity: the account row is in the bytes read"
    );
    assert!(
        contains(&bytes, "mcp_servers"),
        "sanity: the schema is in the bytes read"
    );
    for secret in [
        API_TOKEN,
        TENANT,
        &url_token,
        &api_token,
        hosted_support::ADMIN_TOKEN,
    ] {
        assert!(
            !contains(&bytes, secret),
            "{secret:?} is stored in the clear"
        );
    }
    assert!(
        !contains(&bytes, &SecretKey::to_hex(&hosting.key)),
        "the key is stored"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new();
    let hosting = Hosting::new_sqlite(&dir, None).await;
    let mode = std::fs::metadata(&hosting.db).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "mode {mode:o}");
}

#[tokio::test]
async fn a_restart_loses_nothing() {
    let dir = TempDir::new();
    let upstream = fake(API_TOKEN).await;
    let first = Hosting::new_sqlite(&dir, Some(upstream.url())).await;
    let account = first.account("acme", API_TOKEN).await;
    let plain = first
        .server(
            &account,
            json!({"name": "plain", "config": {"methods": ["read"], "tags": ["teams"]}}),
        )
        .await;
    let guarded = first
        .server(&account, json!({"name": "guarded", "config": {"require_api_token_auth": true}, "expires_at": "2031-01-01T00:00:00Z"}))
        .await;
    let (_, issued) = first.admin("POST", "/api-tokens", None).await;
    let api_token = issued["token"].as_str().unwrap();
    let (_, servers_before) = first
        .admin("GET", &format!("/integrated-account/{account}/mcp"), None)
        .await;
    drop(first);

    let second = Hosting::new_on(&dir, Some(upstream.url())).await;
    let (status, read) = second
        .admin("GET", &format!("/integrated-account/{account}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{read}");
    let (_, servers_after) = second
        .admin("GET", &format!("/integrated-account/{account}/mcp"), None)
        .await;
    assert_eq!(servers_after, servers_before);
    assert_eq!(
        second
            .tool_names(plain["url"].as_str().unwrap())
            .await
            .len(),
        2
    );
    let guarded_url = guarded["url"].as_str().unwrap();
    let (status, _) = second.mcp(guarded_url, "tools/list", json!({}), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The reopened process decrypts the credentials to call the upstream.
    let (status, reply) = second
        .mcp(
            guarded_url,
            "tools/call",
            json!({"name": "list_all_chronosphere_teams", "arguments": {}}),
            Some(api_token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(reply["result"]["isError"], true, "{reply}");
    assert_eq!(
        upstream.state().last_request().unwrap().headers["api-token"],
        API_TOKEN
    );
}

#[tokio::test]
async fn migrations_are_recorded_once() {
    let dir = TempDir::new();
    let first = Hosting::new_sqlite(&dir, None).await;
    let second = first.reopen().await;
    let conn = rusqlite::Connection::open(&second.db).unwrap();
    let mut statement = conn
        .prepare("SELECT version FROM schema_version ORDER BY version")
        .unwrap();
    let versions: Vec<i64> = statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<i64> = store::MIGRATIONS
        .iter()
        .map(|(version, _)| *version)
        .collect();
    assert_eq!(versions, expected);
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = TempDir::new();
    let first = Hosting::new_sqlite(&dir, None).await;
    let conn = rusqlite::Connection::open(&first.db).unwrap();
    conn.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (999, 0)",
        [],
    )
    .unwrap();
    let error = store::open(first.db.to_str().unwrap())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("schema version 999") && error.contains("newer"),
        "{error}"
    );
}

#[tokio::test]
async fn another_key_is_refused_before_serving() {
    let dir = TempDir::new();
    let first = Hosting::new_sqlite(&dir, None).await;
    first.account("acme", API_TOKEN).await;
    let store = store::open(first.db.to_str().unwrap()).await.unwrap();
    let settings = HostedSettings {
        public_url: "http://127.0.0.1".into(),
        min_expiry: TimeDelta::seconds(60),
        upstream: Default::default(),
    };
    let clock = Arc::new(ManualClock::new(start_time()));
    let hosted = Hosted::new(
        store,
        Some(Cipher::new(&SecretKey::generate())),
        clock,
        hosted_support::INTEGRATIONS,
        settings,
    )
    .unwrap();
    let error = hosted.verify_key().await.unwrap_err().to_string();
    assert!(
        error.contains("MCP_SECRET_KEY is not this database's key"),
        "{error}"
    );
}

#[tokio::test]
async fn database_errors_never_show_the_password() {
    // Nothing listens on port 1: the connection is refused.
    let error = store::open("postgres://admin:hunter2@127.0.0.1:1/mcp")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("PostgreSQL"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
    let error = store::open("postgresql://admin:hunter2@127.0.0.1:notaport/mcp")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("not a valid PostgreSQL connection URL"),
        "{error}"
    );
    assert!(!error.contains("hunter2"), "{error}");
    let error = store::open("mysql://root:hunter2@x")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("expected a file path, sqlite://PATH or postgres://"),
        "{error}"
    );
    assert!(!error.contains("hunter2"), "{error}");
}
