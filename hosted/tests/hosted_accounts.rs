//! Accounts whose credentials cannot work, or would reach the operator's own network, are
//! refused when created (docs/security.md, findings 4 and 5), and a stored one that cannot be
//! served gets one clear, rate-limited error.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use std::sync::Arc;

use hosted_support::{Captured, Hosting, TempDir, fake, start_time};
use http::StatusCode;
use mcpgen_hosted::UpstreamSettings;
use mcpgen_hosted::clock::ManualClock;
use mcpgen_runtime::CredentialHosts;
use serde_json::{Value, json};

const TOKEN: &str = "chronosphere-token-a";

fn account_body(tenant: &str) -> Value {
    json!({"integration": "chronosphere", "credentials": {"tenant": tenant, "api_token": TOKEN}})
}

/// A deployment whose Chronosphere base URL is `template`, with credentials allowed to choose
/// any host (`private`) or only public ones.
async fn hosting(dir: &TempDir, template: &str, private: bool) -> Hosting {
    let mut upstream = UpstreamSettings::default();
    upstream
        .base_urls
        .insert("chronosphere".to_owned(), template.to_owned());
    if private {
        upstream.config.credential_hosts = CredentialHosts::Any;
    }
    let key = mcpgen_hosted::crypto::SecretKey::generate();
    Hosting::open_with(
        hosted_support::fresh_database(dir).await,
        key,
        Arc::new(ManualClock::new(start_time())),
        Some(template.to_owned()),
        upstream,
    )
    .await
}

#[tokio::test]
async fn a_tenant_that_breaks_the_base_url_is_a_400_naming_the_credential() {
    let dir = TempDir::new();
    let hosting = Hosting::new(&dir, None).await;
    for tenant in ["evil.com/x#", "evil.com?", "a@evil.com", "évil"] {
        let (status, reply) = hosting
            .admin("POST", "/integrated-account", Some(account_body(tenant)))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{tenant}: {reply}");
        assert_eq!(reply["error"], "invalid_credentials", "{reply}");
        let message = reply["message"].as_str().unwrap();
        assert!(message.contains("credential `tenant`"), "{message}");
        assert!(!message.contains(tenant), "{message}");
        assert!(!message.contains(TOKEN), "{message}");
    }
    let (_, list) = hosting.admin("GET", "/integrated-account", None).await;
    assert_eq!(list["result"], json!([]), "nothing was stored");
}

#[tokio::test]
async fn a_tenant_that_forms_the_host_cannot_name_internal_addresses() {
    let dir = TempDir::new();
    let upstream = fake(TOKEN).await;
    let template = format!("http://{{tenant}}:{}", upstream.addr().port());
    let hosting = hosting(&dir, &template, false).await;
    // The finding's three spellings of loopback, and more.
    for tenant in [
        "0x7f000001",
        "2130706433",
        "localhost",
        "127.0.0.1",
        "127.1",
        "0177.0.0.1",
        "169.254.169.254",
        "app.localhost",
    ] {
        let (status, reply) = hosting
            .admin("POST", "/integrated-account", Some(account_body(tenant)))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{tenant}: {reply}");
        let message = reply["message"].as_str().unwrap();
        assert!(
            message.contains("credential `tenant` makes the upstream host"),
            "{tenant}: {message}"
        );
    }
    assert!(
        upstream.state().requests().is_empty(),
        "no request reached the loopback service"
    );
}

#[tokio::test]
async fn the_operator_can_allow_private_hosts_for_self_hosted_tenants() {
    let dir = TempDir::new();
    let upstream = fake(TOKEN).await;
    let template = format!("http://{{tenant}}:{}", upstream.addr().port());
    let hosting = hosting(&dir, &template, true).await;
    let account = hosting.account("127.0.0.1", TOKEN).await;
    let server = hosting
        .server(&account, json!({"name": "self-hosted"}))
        .await;
    let url = server["url"].as_str().unwrap();
    let (status, reply) = hosting
        .mcp(
            url,
            "tools/call",
            json!({"name": "list_all_chronosphere_teams", "arguments": {}}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_ne!(reply["result"]["isError"], true, "{reply}");
    assert_eq!(upstream.state().requests().len(), 1);
}

#[tokio::test]
async fn a_stored_account_that_cannot_be_served_gets_one_clear_rate_limited_error() {
    let dir = TempDir::new();
    let upstream = fake(TOKEN).await;
    let template = format!("http://{{tenant}}:{}", upstream.addr().port());
    // Stored under a permissive setting, then served by a deployment that refuses it (as an
    // account stored before the check existed would be).
    let permissive = hosting(&dir, &template, true).await;
    let account = permissive.account("127.0.0.1", TOKEN).await;
    let server = permissive.server(&account, json!({"name": "x"})).await;
    let url = server["url"].as_str().unwrap().to_owned();
    let mut strict_settings = UpstreamSettings::default();
    strict_settings
        .base_urls
        .insert("chronosphere".to_owned(), template.clone());
    let strict = Hosting::open_with(
        permissive.database.clone(),
        permissive.key.clone(),
        Arc::new(ManualClock::new(start_time())),
        Some(template),
        strict_settings,
    )
    .await;

    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    for _ in 0..20 {
        let (status, reply) = strict.mcp(&url, "tools/list", json!({}), None).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{reply}");
        assert_eq!(reply["error"], "account_unusable", "{reply}");
        let message = reply["message"].as_str().unwrap();
        assert!(
            message.contains("credential `tenant` makes the upstream host"),
            "{message}"
        );
        assert!(!message.contains(TOKEN), "{message}");
    }
    let logs = logs.text();
    let errors = logs.lines().filter(|line| line.contains("ERROR")).count();
    assert_eq!(errors, 1, "{logs}");
    assert!(upstream.state().requests().is_empty());
}
