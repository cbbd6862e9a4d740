//! Secrets an upstream echoes back never reach an error, in any spelling and wherever the text
//! is cut (docs/security.md, finding 2).

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use common::*;
use mcpgen_runtime::{
    AuthSpec, CredentialSpec, Credentials, Integration, RateLimitSpec, UpstreamClient,
    UpstreamConfig,
};
use tokio::net::TcpListener;

/// 42 characters, like the token of the finding.
const LONG_TOKEN: &str = "tok_4Zq9XbVr2KpL8mWn3HsJ6tYc1DfGe5QaUo7iRz";

async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

/// Every window of `len` characters of `secret` that occurs in `text`.
fn fragments(secret: &str, text: &str, len: usize) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(len)
        .map(|window| window.iter().collect::<String>())
        .filter(|window| text.contains(window.as_str()))
        .collect()
}

/// An upstream whose every reply is `status` with `body(api-token header, authorization
/// header)` as plain text.
async fn echoing(status: StatusCode, body: fn(&str, &str) -> String) -> SocketAddr {
    serve(
        Router::new().fallback(move |headers: HeaderMap| async move {
            let header = |name| {
                headers
                    .get(name)
                    .and_then(|value: &axum::http::HeaderValue| value.to_str().ok())
                    .unwrap_or_default()
                    .to_owned()
            };
            let text = body(&header("api-token"), &header("authorization"));
            (status, [(header::CONTENT_TYPE, "text/plain")], text)
        }),
    )
    .await
}

#[tokio::test]
async fn a_secret_straddling_the_snippet_cut_leaves_no_fragment() {
    // The finding: 18 + 142 characters, then the token, so a cut at 200 characters fell
    // inside it and 39 of its 42 characters survived.
    let addr = echoing(StatusCode::UNAUTHORIZED, |token, _| {
        format!("invalid_api_token:{}{token}", "x".repeat(142))
    })
    .await;
    let client = client_for(
        format!("http://{addr}"),
        LONG_TOKEN,
        Duration::from_secs(5),
        1 << 20,
    );
    let error = call_tool(&client, &GET, serde_json::json!({"id": "a"}))
        .await
        .unwrap_err();
    let text = all_text(&error);
    assert!(text.contains("invalid_api_token:xxx"), "{text}");
    assert_eq!(
        fragments(LONG_TOKEN, &text, 6),
        Vec::<String>::new(),
        "{text}"
    );
}

#[tokio::test]
async fn a_secret_on_a_non_json_success_is_scrubbed_before_the_snippet_is_cut() {
    let addr = echoing(StatusCode::OK, |token, _| {
        format!("<html>{}{token}</html>", "y".repeat(170))
    })
    .await;
    let client = client_for(
        format!("http://{addr}"),
        LONG_TOKEN,
        Duration::from_secs(5),
        1 << 20,
    );
    let error = call_tool(&client, &GET, serde_json::json!({"id": "a"}))
        .await
        .unwrap_err();
    let text = all_text(&error);
    assert!(text.contains("not JSON"), "{text}");
    assert_eq!(
        fragments(LONG_TOKEN, &text, 6),
        Vec::<String>::new(),
        "{text}"
    );
}

#[tokio::test]
async fn json_escaped_secrets_are_scrubbed() {
    // A token with `/` and `"`: JSON encoders write `\/` (some) and `\"` (all).
    const TOKEN_WITH_QUOTES: &str = r#"ab/cd"ef-9Q7x"#;
    let addr = echoing(StatusCode::FORBIDDEN, |token, _| {
        let escaped = token.replace('"', "\\\"").replace('/', "\\/");
        let plain = serde_json::to_string(token).unwrap();
        format!(r#"{{"error": {{"detail": "token \"{escaped}\" lacks scope", "raw": {plain}}}}}"#)
    })
    .await;
    let client = client_for(
        format!("http://{addr}"),
        TOKEN_WITH_QUOTES,
        Duration::from_secs(5),
        1 << 20,
    );
    let error = call_tool(&client, &GET, serde_json::json!({"id": "a"}))
        .await
        .unwrap_err();
    let text = all_text(&error);
    assert!(text.contains("lacks scope"), "{text}");
    for needle in ["ab/cd", r"ab\/cd", "ef-9Q7x"] {
        assert!(!text.contains(needle), "{needle} in {text}");
    }
}

static BASIC: Integration = Integration {
    name: "basic_api",
    display_name: "Basic API",
    description: "",
    base_url: "https://basic.example",
    credentials: &[
        CredentialSpec {
            name: "user",
            description: "",
            secret: false,
        },
        CredentialSpec {
            name: "password",
            description: "",
            secret: true,
        },
    ],
    auth: AuthSpec::Basic {
        username: "{user}",
        password: "{password}",
    },
    rate_limit: RateLimitSpec {
        limit: &[],
        remaining: &[],
        reset: &[],
    },
    error_message_path: None,
    tools: &[&GET],
    resources: &[],
};

#[tokio::test]
async fn a_basic_auth_header_echoed_in_base64_is_scrubbed() {
    let addr = echoing(StatusCode::UNAUTHORIZED, |_, authorization| {
        let encoded = authorization.trim_start_matches("Basic ");
        let url_safe = encoded.replace('+', "-").replace('/', "_");
        format!("bad credentials {authorization} ({url_safe})")
    })
    .await;
    // `?>>` makes `+`/`/` in standard base64, so the URL-safe spelling differs.
    let credentials = Credentials::new()
        .with("user", "ops")
        .with("password", "p?>>w0rd-long-enough");
    let config = UpstreamConfig {
        base_url: Some(format!("http://{addr}")),
        ..UpstreamConfig::default()
    };
    let client = UpstreamClient::new(&BASIC, credentials, config).unwrap();
    let error = call_tool(&client, &GET, serde_json::json!({"id": "a"}))
        .await
        .unwrap_err();
    let text = all_text(&error);
    use base64::Engine as _;
    let standard = base64::engine::general_purpose::STANDARD.encode("ops:p?>>w0rd-long-enough");
    let url_safe = base64::engine::general_purpose::URL_SAFE.encode("ops:p?>>w0rd-long-enough");
    assert_ne!(standard, url_safe);
    assert!(
        text.contains("bad credentials Basic [redacted] ([redacted])"),
        "{text}"
    );
    assert!(
        !text.contains(&standard) && !text.contains(&url_safe),
        "{text}"
    );
}
