//! Failures the runtime must turn into clear, specific, secret-free errors: bad configuration,
//! slow, absent, misbehaving and oversized upstreams, redirects, and forged cursors.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Redirect;
use axum::routing::{get, post};
use common::*;
use fake_chronosphere::DelayPlan;
use mcpgen_runtime::{
    Annotations, Arg, ArgLocation, AuthSpec, CallError, ConfigError, CredentialSpec, Credentials,
    HttpVerb, Integration, MethodKind, OutputShape, PaginationSpec, RateLimitSpec, RequestPlan,
    Tool, UpstreamClient, UpstreamConfig, UpstreamError, handler,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

fn client(addr: SocketAddr, timeout: Duration, max_body_bytes: usize) -> UpstreamClient {
    client_for(format!("http://{addr}"), TOKEN, timeout, max_body_bytes)
}

fn upstream(error: CallError) -> UpstreamError {
    match error {
        CallError::Upstream(error) => error,
        other => panic!("expected an upstream error, got {other:?}"),
    }
}

#[test]
fn a_tenant_cannot_redirect_requests_to_another_host() {
    for tenant in ["evil.com/x#", "evil.com?", "x@evil.com", "evil.com:8080"] {
        let credentials = Credentials::new()
            .with("tenant", tenant)
            .with("api_token", TOKEN);
        let error =
            UpstreamClient::new(&CHRONOSPHERE, credentials, UpstreamConfig::default()).unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(error, ConfigError::InvalidBaseUrl { .. }),
            "{tenant}: {error:?}"
        );
        assert!(
            text.contains("may only contain letters, digits, `-` and `.`"),
            "{text}"
        );
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[test]
fn missing_and_unknown_credentials_are_named() {
    let error = UpstreamClient::new(
        &CHRONOSPHERE,
        Credentials::new().with("tenant", "acme"),
        UpstreamConfig::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "missing credential for chronosphere: `api_token`; set CHRONOSPHERE_API_TOKEN or pass them explicitly"
    );
    let credentials = credentials(TOKEN).with("tennant", "acme");
    let error =
        UpstreamClient::new(&CHRONOSPHERE, credentials, UpstreamConfig::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown credential `tennant` for chronosphere; expected one of `tenant`, `api_token`"
    );
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
#[test]
fn https_without_a_tls_backend_is_a_clear_configuration_error() {
    let error = UpstreamClient::new(&CHRONOSPHERE, credentials(TOKEN), UpstreamConfig::default())
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::TlsUnavailable { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_upstream_times_out_with_the_configured_limit() {
    let (fake, _) = fake(1).await;
    fake.state().set_delay(DelayPlan {
        requests: 1,
        millis: 3_000,
    });
    let client = client_for(fake.url(), TOKEN, Duration::from_millis(200), 1 << 20);
    let started = Instant::now();
    let error = upstream(
        call_tool(&client, &GET, json!({"id": "team-0001"}))
            .await
            .unwrap_err(),
    );
    assert!(
        started.elapsed() < Duration::from_millis(2_000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        error,
        UpstreamError::Timeout {
            after: Duration::from_millis(200),
            reply_started: false,
        }
    );
    assert_eq!(
        error.to_string(),
        "the upstream timed out: no reply within 200 ms (the upstream timeout is configurable)"
    );
    assert_eq!(error.to_json()["error"]["kind"], "timeout");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let error = upstream(
        call_tool(
            &client(addr, Duration::from_secs(5), 1 << 20),
            &GET,
            json!({"id": "a"}),
        )
        .await
        .unwrap_err(),
    );
    let UpstreamError::Connect { message } = &error else {
        panic!("{error:?}")
    };
    assert!(
        message.starts_with(&format!("http://{addr}: ")),
        "{message}"
    );
    assert!(
        error.to_string().starts_with(&format!(
            "could not connect to the upstream at http://{addr}: "
        )),
        "{error}"
    );
    assert!(message.to_lowercase().contains("refused"), "{message}");
}

#[tokio::test]
async fn a_non_json_reply_is_reported_with_its_content_type() {
    let router = Router::new().route(
        "/api/v1/config/teams/{slug}",
        get(|| async {
            (
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body>Maintenance</body></html>",
            )
        }),
    );
    let addr = serve(router).await;
    let error = upstream(
        call_tool(
            &client(addr, Duration::from_secs(5), 1 << 20),
            &GET,
            json!({"id": "a"}),
        )
        .await
        .unwrap_err(),
    );
    assert!(
        matches!(error, UpstreamError::NotJson { status: 200, .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("not JSON") && text.contains("text/html") && text.contains("Maintenance"),
        "{text}"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_or_without_content_length() {
    let big = format!(
        "{{\"team\": {{\"description\": \"{}\"}}}}",
        "x".repeat(64 * 1024)
    );
    let declared = big.clone();
    let router = Router::new().route(
        "/api/v1/config/teams/{slug}",
        get(move || async move { declared }),
    );
    let addr = serve(router).await;
    let error = upstream(
        call_tool(
            &client(addr, Duration::from_secs(5), 16 * 1024),
            &GET,
            json!({"id": "a"}),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(error, UpstreamError::TooLarge { limit: 16 * 1024 });
    // The same body fits a larger cap.
    let team = call_tool(
        &client(addr, Duration::from_secs(5), 1 << 20),
        &GET,
        json!({"id": "a"}),
    )
    .await
    .unwrap();
    assert_eq!(team["description"].as_str().unwrap().len(), 64 * 1024);

    let chunked = chunked_server(big).await;
    let error = upstream(
        call_tool(
            &client(chunked, Duration::from_secs(5), 16 * 1024),
            &GET,
            json!({"id": "a"}),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(error, UpstreamError::TooLarge { limit: 16 * 1024 });
    assert!(
        error.to_string().contains("larger than 16384 bytes"),
        "{error}"
    );
}

/// Answers every connection with `body` in 4 KiB chunks and no `Content-Length`.
async fn chunked_server(body: String) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = [0_u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for chunk in body.as_bytes().chunks(4096) {
                    let frame =
                        [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
                    if socket.write_all(&frame).await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn replies_that_do_not_match_the_record_type_name_the_json_path() {
    let router = Router::new()
        .route(
            "/api/v1/config/teams/{slug}",
            get(|| async { axum::Json(json!({"team": {"slug": "a", "name": 5}})) }),
        )
        .route(
            "/api/v1/config/teams",
            get(|uri: Uri| async move {
                if uri
                    .query()
                    .is_some_and(|query| query.contains("slugs=scalar"))
                {
                    axum::Json(json!({"teams": 5}))
                } else {
                    axum::Json(json!({"teams": [{"slug": "a"}, {"slug": "b", "user_emails": "x"}]}))
                }
            }),
        );
    let client = client(serve(router).await, Duration::from_secs(5), 1 << 20);
    let error = upstream(
        call_tool(&client, &GET, json!({"id": "a"}))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        error.to_string(),
        "the upstream reply does not match the documented shape at `team.name`: invalid type: integer `5`, expected a string"
    );
    let error = upstream(call_tool(&client, &LIST, json!({})).await.unwrap_err());
    let UpstreamError::UnexpectedReply { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "teams[1].user_emails");
    let error = upstream(
        call_tool(&client, &LIST, json!({"slugs": ["scalar"]}))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        error.to_string(),
        "the upstream reply does not match the documented shape at `teams`: expected a list of records, found a number"
    );
}

#[tokio::test]
async fn secrets_echoed_by_the_upstream_are_scrubbed() {
    let router = Router::new().route(
        "/api/v1/config/teams/{slug}",
        get(|headers: HeaderMap| async move {
            let token = headers
                .get("api-token")
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({"message": format!("token {token} lacks scope")})),
            )
        }),
    );
    let client = client(serve(router).await, Duration::from_secs(5), 1 << 20);
    let error = call_tool(&client, &GET, json!({"id": "a"}))
        .await
        .unwrap_err();
    let text = all_text(&error);
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("token [redacted] lacks scope"), "{text}");
}

#[tokio::test]
async fn redirects_are_followed_only_within_the_upstream_origin() {
    let elsewhere_hits = Arc::new(Mutex::new(0_u32));
    let hits = elsewhere_hits.clone();
    let elsewhere = serve(Router::new().fallback(move || {
        let hits = hits.clone();
        async move {
            *hits.lock().unwrap() += 1;
            axum::Json(json!({"team": {"slug": "stolen"}}))
        }
    }))
    .await;
    let router = Router::new()
        .route(
            "/api/v1/config/teams/away",
            get(move || async move { Redirect::temporary(&format!("http://{elsewhere}/x")) }),
        )
        .route(
            "/api/v1/config/teams/moved",
            get(|| async { Redirect::permanent("/api/v1/config/teams/here") }),
        )
        .route(
            "/api/v1/config/teams/here",
            get(|| async { axum::Json(json!({"team": {"slug": "here"}})) }),
        );
    let client = client(serve(router).await, Duration::from_secs(5), 1 << 20);

    let team = call_tool(&client, &GET, json!({"id": "moved"}))
        .await
        .unwrap();
    assert_eq!(team["slug"], "here");
    let error = upstream(
        call_tool(&client, &GET, json!({"id": "away"}))
            .await
            .unwrap_err(),
    );
    assert_eq!(error.status(), Some(307), "{error:?}");
    assert!(
        error.to_string().ends_with(&format!(
            "not following a redirect to another origin (http://{elsewhere})"
        )),
        "{error}"
    );
    assert_eq!(
        *elsewhere_hits.lock().unwrap(),
        0,
        "credentials must not follow a cross-origin redirect"
    );
}

// A second integration: query-parameter auth and Link-header pagination, plus a bodiless POST.

#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PageInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

const PLAIN: Annotations = Annotations {
    read_only: true,
    destructive: false,
    idempotent: true,
    open_world: true,
};

static LIST_ITEMS: Tool = Tool {
    name: "list_all_acme_items",
    title: "List items",
    description: "List items.",
    method: MethodKind::List,
    resource: "items",
    tags: &[],
    input_schema: "{}",
    output_schema: "{}",
    annotations: PLAIN,
    plan: RequestPlan {
        verb: HttpVerb::Get,
        path: &[mcpgen_runtime::PathSegment::Literal("/v2/items")],
        args: &[],
        body_wrapper: None,
        record_id: None,
        response_path: None,
        pagination: PaginationSpec::LinkHeader {
            limit_param: Some("per_page"),
        },
        output: OutputShape::Page,
    },
    handler: handler::<PageInput, mcpgen_runtime::Page<Value>>,
};

static ARCHIVE_ITEM: Tool = Tool {
    name: "archive_acme_items",
    title: "Archive an item",
    description: "Archive an item.",
    method: MethodKind::Custom("archive"),
    resource: "items",
    tags: &[],
    input_schema: "{}",
    output_schema: "{}",
    annotations: PLAIN,
    plan: RequestPlan {
        verb: HttpVerb::Post,
        path: &[
            mcpgen_runtime::PathSegment::Literal("/v2/items/"),
            mcpgen_runtime::PathSegment::Arg("id"),
            mcpgen_runtime::PathSegment::Literal("/archive"),
        ],
        args: &[Arg {
            name: "id",
            upstream: "id",
            location: ArgLocation::Path,
        }],
        body_wrapper: None,
        record_id: None,
        response_path: None,
        pagination: PaginationSpec::None,
        output: OutputShape::Raw,
    },
    handler: handler::<IdInput, Value>,
};

static ACME: Integration = Integration {
    name: "acme",
    display_name: "Acme",
    description: "Acme.",
    base_url: "https://api.acme.example",
    credentials: &[CredentialSpec {
        name: "api_key",
        description: "Key.",
        secret: true,
    }],
    auth: AuthSpec::Query {
        name: "key",
        value: "{api_key}",
    },
    rate_limit: RateLimitSpec {
        limit: &[],
        remaining: &[],
        reset: &[],
    },
    error_message_path: None,
    tools: &[&ARCHIVE_ITEM, &LIST_ITEMS],
    resources: &[],
};

const KEY: &str = "key-SECRET-51x";

#[tokio::test]
async fn link_header_pagination_with_query_auth_round_trips() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    let users = seen.clone();
    let router = Router::new()
        .route(
            "/v2/items",
            get(move |uri: Uri| {
                let log = log.clone();
                async move {
                    let query = uri.query().unwrap_or_default().to_owned();
                    log.lock().unwrap().push(query.clone());
                    if query.split('&').any(|pair| pair == "page=2") {
                        (HeaderMap::new(), axum::Json(json!([{"id": 3}])))
                    } else {
                        let mut headers = HeaderMap::new();
                        let link = format!("</v2/items?page=2&per_page=2&key={KEY}>; rel=\"next\"");
                        headers.insert(header::LINK, link.parse().unwrap());
                        (headers, axum::Json(json!([{"id": 1}, {"id": 2}])))
                    }
                }
            }),
        )
        // Another resource of the same upstream, which no tool of this account lists.
        .route(
            "/v2/users",
            get(move || {
                let users = users.clone();
                async move {
                    users.lock().unwrap().push("users".to_owned());
                    axum::Json(json!([{"email": "someone@example.com"}]))
                }
            }),
        );
    let addr = serve(router).await;
    let config = UpstreamConfig {
        base_url: Some(format!("http://{addr}")),
        ..UpstreamConfig::default()
    };
    let client =
        UpstreamClient::new(&ACME, Credentials::new().with("api_key", KEY), config).unwrap();

    let first = call_tool(&client, &LIST_ITEMS, json!({"limit": 2}))
        .await
        .unwrap();
    assert_eq!(first["result"], json!([{"id": 1}, {"id": 2}]));
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    assert!(!cursor.contains(KEY), "{cursor}");
    let second = call_tool(&client, &LIST_ITEMS, json!({"next_cursor": cursor}))
        .await
        .unwrap();
    assert_eq!(second, json!({"result": [{"id": 3}], "next_cursor": null}));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            format!("per_page=2&key={KEY}"),
            format!("page=2&per_page=2&key={KEY}")
        ]
    );

    // Forged cursors: another path of the same origin (the finding), another origin, and a
    // real cursor with its URL swapped. None is requested.
    let (_, tag) = cursor.rsplit_once('.').unwrap();
    use base64::Engine as _;
    let swapped =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("http://{addr}/v2/users"));
    for forged in [
        format!("http://{addr}/v2/users"),
        format!("http://{addr}/v2/items/../users"),
        "http://127.0.0.2:1/v2/items?page=2".to_owned(),
        format!("l1.{swapped}.{tag}"),
    ] {
        let error = call_tool(&client, &LIST_ITEMS, json!({"next_cursor": forged}))
            .await
            .unwrap_err();
        let CallError::InvalidArguments(message) = error else {
            panic!("{forged}: {error:?}")
        };
        assert!(
            message.contains("not a cursor this tool returned"),
            "{forged}: {message}"
        );
    }
    assert_eq!(
        seen.lock().unwrap().len(),
        2,
        "a forged cursor must not be requested"
    );
}

/// What the archive endpoint received: its content type and body length.
type Received = (Option<String>, usize);

#[tokio::test]
async fn a_post_without_body_arguments_sends_no_body_and_errors_hide_the_query_key() {
    let seen: Arc<Mutex<Option<Received>>> = Arc::default();
    let log = seen.clone();
    let router = Router::new().route(
        "/v2/items/{id}/archive",
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let log = log.clone();
            async move {
                let content_type = headers
                    .get(header::CONTENT_TYPE)
                    .map(|value| value.to_str().unwrap().to_owned());
                *log.lock().unwrap() = Some((content_type, body.len()));
                axum::Json(json!({"archived": true}))
            }
        }),
    );
    let addr = serve(router).await;
    let config = UpstreamConfig {
        base_url: Some(format!("http://{addr}")),
        ..UpstreamConfig::default()
    };
    let client =
        UpstreamClient::new(&ACME, Credentials::new().with("api_key", KEY), config).unwrap();
    let reply = call_tool(&client, &ARCHIVE_ITEM, json!({"id": "7"}))
        .await
        .unwrap();
    assert_eq!(reply, json!({"archived": true}));
    assert_eq!(*seen.lock().unwrap(), Some((None, 0)));

    // Nothing listens on port 1: the connect error must not carry the query key.
    let refused = UpstreamClient::new(
        &ACME,
        Credentials::new().with("api_key", KEY),
        UpstreamConfig {
            base_url: Some("http://127.0.0.1:1".into()),
            ..UpstreamConfig::default()
        },
    )
    .unwrap();
    let error = call_tool(&refused, &ARCHIVE_ITEM, json!({"id": "7"}))
        .await
        .unwrap_err();
    let text = all_text(&error);
    assert!(
        matches!(error, CallError::Upstream(UpstreamError::Connect { .. })),
        "{text}"
    );
    assert!(!text.contains(KEY), "{text}");
}
