//! The fake's API contract (as the swagger gives it) and its test controls, through the router
//! and through the binary.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use fake_chronosphere::{FakeConfig, FakeState, RateLimitPlan, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "t0ken";

async fn send(
    state: &FakeState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Vec<(String, String)>, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("API-Token", token);
    }
    let body = body.map_or_else(Body::empty, |body| Body::from(body.to_string()));
    let response = app(state.clone())
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, headers, json)
}

fn state(seed: usize) -> FakeState {
    FakeState::new(&FakeConfig {
        seed_teams: seed,
        ..FakeConfig::new(TOKEN)
    })
}

#[tokio::test]
async fn auth_is_the_api_token_header() {
    let state = state(1);
    for token in [None, Some("wrong")] {
        let (status, _, body) = send(&state, "GET", "/api/v1/config/teams", token, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], 16);
    }
    let (status, _, _) = send(&state, "GET", "/api/v1/config/teams", Some(TOKEN), None).await;
    assert_eq!(status, StatusCode::OK);
    // Controls need no token.
    let (status, _, body) = send(&state, "GET", "/_fake/requests", None, None).await;
    assert_eq!((status, body["count"].as_u64()), (StatusCode::OK, Some(3)));
}

#[tokio::test]
async fn list_defaults_filters_and_strict_query() {
    let state = state(60);
    let (_, _, body) = send(
        &state,
        "GET",
        "/api/v1/config/teams?page.max_size=0",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(
        body["teams"].as_array().unwrap().len(),
        fake_chronosphere::DEFAULT_PAGE_SIZE
    );
    assert!(body["page"]["next_token"].is_string());
    let (_, _, body) = send(
        &state,
        "GET",
        "/api/v1/config/teams?names=Team+2&names=Team+4&slugs=team-0004",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(
        body,
        json!({"page": {}, "teams": [body["teams"][0].clone()]})
    );
    assert_eq!(body["teams"][0]["slug"], "team-0004");
    let (status, _, body) = send(
        &state,
        "GET",
        "/api/v1/config/teams?page.size=2",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("unknown query parameter \"page.size\"")
        )
    );
    let (status, _, _) = send(
        &state,
        "GET",
        "/api/v1/config/teams?page.token=zz",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn create_update_delete_follow_the_swagger() {
    let state = state(0);
    let (status, _, body) = send(
        &state,
        "POST",
        "/api/v1/config/teams",
        Some(TOKEN),
        Some(json!({"team": {}})),
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::BAD_REQUEST, Some("team.name is required"))
    );
    let (status, _, body) = send(
        &state,
        "POST",
        "/api/v1/config/teams",
        Some(TOKEN),
        Some(json!({"team": {"name": "A", "colour": "red"}})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _, body) = send(
        &state,
        "POST",
        "/api/v1/config/teams",
        Some(TOKEN),
        Some(json!({"team": {"name": "SRE Team"}, "dry_run": false})),
    )
    .await;
    assert_eq!(
        (status, body["team"]["slug"].as_str()),
        (StatusCode::OK, Some("sre-team"))
    );
    let (status, _, _) = send(
        &state,
        "POST",
        "/api/v1/config/teams",
        Some(TOKEN),
        Some(json!({"team": {"name": "SRE Team"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let update = json!({"team": {"slug": "other", "name": "B"}});
    let (status, _, _) = send(
        &state,
        "PUT",
        "/api/v1/config/teams/sre-team",
        Some(TOKEN),
        Some(update),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = send(
        &state,
        "PUT",
        "/api/v1/config/teams/new",
        Some(TOKEN),
        Some(json!({"team": {"name": "N"}})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let upsert = json!({"team": {"name": "N"}, "create_if_missing": true});
    let (status, _, body) = send(
        &state,
        "PUT",
        "/api/v1/config/teams/new",
        Some(TOKEN),
        Some(upsert),
    )
    .await;
    assert_eq!(
        (status, body["team"]["slug"].as_str()),
        (StatusCode::OK, Some("new"))
    );

    let (status, _, body) = send(
        &state,
        "DELETE",
        "/api/v1/config/teams/new",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let (status, _, body) =
        send(&state, "GET", "/api/v1/config/teams/new", Some(TOKEN), None).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::NOT_FOUND,
            json!({"code": 5, "message": "team not found: \"new\""})
        )
    );
}

#[tokio::test]
async fn forced_rate_limits_send_the_configured_headers_then_stop() {
    let state = state(1);
    let plan = json!({"requests": 1, "retry_after": "9", "limit": 10, "remaining": 0, "reset": 9});
    let (status, _, _) = send(&state, "POST", "/_fake/rate-limit", None, Some(plan)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, body) = send(
        &state,
        "GET",
        "/api/v1/config/teams/team-0001",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_i64()),
        (StatusCode::TOO_MANY_REQUESTS, Some(8))
    );
    for (name, value) in [
        ("retry-after", "9"),
        ("x-ratelimit-limit", "10"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", "9"),
    ] {
        assert!(
            headers.contains(&(name.to_owned(), value.to_owned())),
            "{name}: {headers:?}"
        );
    }
    let (status, _, _) = send(
        &state,
        "GET",
        "/api/v1/config/teams/team-0001",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    state.set_rate_limit(RateLimitPlan {
        requests: 2,
        ..RateLimitPlan::default()
    });
    let (_, headers, _) = send(
        &state,
        "GET",
        "/api/v1/config/teams/team-0001",
        Some(TOKEN),
        None,
    )
    .await;
    assert!(
        !headers.iter().any(|(name, _)| name == "retry-after"),
        "{headers:?}"
    );
}

#[tokio::test]
async fn the_request_log_keeps_raw_paths_queries_and_bodies() {
    let state = state(0);
    send(
        &state,
        "GET",
        "/api/v1/config/teams/..%2Fx?a=1",
        Some(TOKEN),
        None,
    )
    .await;
    send(
        &state,
        "POST",
        "/api/v1/config/teams",
        Some(TOKEN),
        Some(json!({"team": {"name": "A"}})),
    )
    .await;
    let requests = state.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].path.as_str(), requests[0].query.as_deref()),
        ("/api/v1/config/teams/..%2Fx", Some("a=1"))
    );
    assert_eq!(requests[1].body, json!({"team": {"name": "A"}}));
    assert_eq!(
        requests[1].headers.get("api-token").map(String::as_str),
        Some(TOKEN)
    );
    send(&state, "POST", "/_fake/reset", None, None).await;
    assert_eq!(
        (
            state.request_count(),
            state.requests().len(),
            state.team_count()
        ),
        (0, 0, 0)
    );
}

#[test]
fn the_binary_announces_its_address_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-chronosphere"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--api-token",
            TOKEN,
            "--seed-teams",
            "2",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let reply = runtime.block_on(async {
        let stream = tokio::net::TcpStream::connect(url.trim_start_matches("http://"))
            .await
            .unwrap();
        raw_get(stream, "/api/v1/config/teams").await
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"team-0002\""), "{reply}");
}

async fn raw_get(mut stream: tokio::net::TcpStream, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = format!(
        "GET {path} HTTP/1.1\r\nhost: fake\r\napi-token: {TOKEN}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    reply
}
