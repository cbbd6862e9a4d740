//! Streamable HTTP at `/mcp`: the 2025-11-25 session flow, the 2026-07-28 stateless flow, and
//! the status codes for bad requests (the server keeps serving after each).
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;

use common::{handler, modern_meta};
use mcpgen_server::{HttpOptions, ToolFilter};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio::sync::oneshot;

struct TestServer {
    url: String,
    http: reqwest::Client,
    _stop: oneshot::Sender<()>,
}

async fn start(options: HttpOptions) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        mcpgen_server::http::serve_listener(
            handler(ToolFilter::all()),
            listener,
            &options,
            shutdown,
        )
        .await
        .unwrap();
    });
    TestServer {
        url: format!("http://{addr}/mcp"),
        http: reqwest::Client::new(),
        _stop: stop,
    }
}

async fn start_default() -> TestServer {
    start(HttpOptions::new(SocketAddr::from(([127, 0, 0, 1], 0)))).await
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    /// The JSON-RPC message in the body, whether sent as JSON or as an SSE event.
    fn message(&self) -> Value {
        if let Ok(value) = serde_json::from_str(&self.text) {
            return value;
        }
        self.text
            .lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .map(str::trim)
            .filter(|data| !data.is_empty())
            .find_map(|data| serde_json::from_str(data).ok())
            .unwrap_or_else(|| {
                panic!(
                    "no JSON-RPC message in {:?} (status {})",
                    self.text, self.status
                )
            })
    }
}

impl TestServer {
    async fn post(&self, headers: &[(&str, &str)], body: impl Into<reqwest::Body>) -> Reply {
        let mut request = self.http.post(&self.url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.body(body).send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        Reply {
            status,
            headers,
            text,
        }
    }

    /// A well-formed POST with the given extra headers.
    async fn post_json(&self, extra: &[(&str, &str)], body: &Value) -> Reply {
        let mut headers = vec![
            ("content-type", "application/json"),
            ("accept", "application/json, text/event-stream"),
        ];
        headers.extend_from_slice(extra);
        self.post(&headers, body.to_string()).await
    }

    /// A stateless 2026-07-28 request with matching headers.
    async fn modern(&self, method: &str, name: Option<&str>, params: Value) -> Reply {
        let mut params = params;
        params["_meta"] = modern_meta();
        let mut headers = vec![
            ("mcp-protocol-version", "2026-07-28"),
            ("mcp-method", method),
        ];
        if let Some(name) = name {
            headers.push(("mcp-name", name));
        }
        self.post_json(
            &headers,
            &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
        )
        .await
    }

    async fn is_alive(&self) {
        let reply = self
            .modern(
                "tools/call",
                Some("get_single_demo_widget_by_id"),
                json!({"name": "get_single_demo_widget_by_id", "arguments": {"id": "alive"}}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(
            reply.message()["result"]["structuredContent"]["slug"],
            "alive"
        );
    }
}

#[tokio::test]
async fn legacy_clients_get_a_session() {
    let server = start_default().await;
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}});
    let reply = server.post_json(&[], &init).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.message()["result"]["protocolVersion"], "2025-11-25");
    let session = reply
        .headers
        .get("mcp-session-id")
        .expect("a session id")
        .to_str()
        .unwrap()
        .to_owned();
    let session_headers = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", "2025-11-25"),
    ];

    let reply = server
        .post_json(
            &session_headers,
            &json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text);

    let reply = server
        .post_json(
            &session_headers,
            &json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        )
        .await;
    assert_eq!(
        reply.message()["result"]["tools"].as_array().unwrap().len(),
        6,
        "{}",
        reply.text
    );

    let call = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "get_single_demo_widget_by_id", "arguments": {"id": "limited"}}});
    let reply = server.post_json(&session_headers, &call).await;
    let result = &reply.message()["result"];
    assert_eq!(result["isError"], true);
    assert_eq!(result["structuredContent"]["error"]["status"], 429);

    let call = json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "get_single_demo_widget_by_id", "arguments": {}}});
    let reply = server.post_json(&session_headers, &call).await;
    assert_eq!(reply.message()["error"]["code"], -32602, "{}", reply.text);

    // A request without the session is refused; an unknown session is 404.
    let list = json!({"jsonrpc": "2.0", "id": 5, "method": "tools/list"});
    let reply = server
        .post_json(&[("mcp-protocol-version", "2025-11-25")], &list)
        .await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.text
    );
    let reply = server
        .post_json(&[("mcp-session-id", "no-such-session")], &list)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let response = server
        .http
        .delete(&server.url)
        .header("mcp-session-id", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let reply = server.post_json(&session_headers, &list).await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "a deleted session is gone"
    );
}

#[tokio::test]
async fn modern_clients_are_served_statelessly() {
    let server = start_default().await;
    let reply = server.modern("server/discover", None, json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(reply.headers.get("mcp-session-id").is_none());
    let result = &reply.message()["result"];
    assert!(result["capabilities"]["tools"].is_object());
    assert!(
        result["supportedVersions"]
            .as_array()
            .unwrap()
            .contains(&json!("2026-07-28"))
    );

    let reply = server.modern("tools/list", None, json!({})).await;
    assert_eq!(
        reply.headers["content-type"], "application/json",
        "stateless answers are plain JSON"
    );
    let result = &reply.message()["result"];
    assert_eq!(result["ttlMs"], 300_000);
    assert_eq!(result["cacheScope"], "public");
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["tools"].as_array().unwrap().len(), 6);

    let reply = server
        .modern(
            "tools/call",
            Some("list_all_demo_widgets"),
            json!({"name": "list_all_demo_widgets", "arguments": {"limit": 3}}),
        )
        .await;
    assert_eq!(
        reply.message()["result"]["structuredContent"]["result"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let reply = server
        .modern(
            "tools/call",
            Some("nope"),
            json!({"name": "nope", "arguments": {}}),
        )
        .await;
    assert_eq!(reply.message()["error"]["code"], -32602, "{}", reply.text);

    // Headers must agree with the body.
    let reply = server
        .modern(
            "tools/call",
            Some("list_all_demo_widgets"),
            json!({"name": "get_single_demo_widget_by_id", "arguments": {"id": "x"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert_eq!(reply.message()["error"]["code"], -32020);

    // No GET streams without sessions.
    let response = server
        .http
        .get(&server.url)
        .header("accept", "text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    server.is_alive().await;
}

#[tokio::test]
async fn bad_requests_get_proper_status_codes_and_the_server_keeps_serving() {
    let server = start_default().await;
    let json_headers = [
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
    ];
    let huge = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{{"pad":"{}"}}}}"#,
        "x".repeat(5 << 20)
    );
    /// What, request headers, body, expected status, expected JSON-RPC error code.
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, &'a str)>,
        String,
        StatusCode,
        Option<i64>,
    );
    let cases: Vec<Case> = vec![
        (
            "malformed JSON",
            json_headers.to_vec(),
            "{not json".into(),
            StatusCode::BAD_REQUEST,
            Some(-32700),
        ),
        (
            "a batch",
            json_headers.to_vec(),
            "[]".into(),
            StatusCode::BAD_REQUEST,
            Some(-32600),
        ),
        (
            "no method",
            json_headers.to_vec(),
            r#"{"jsonrpc":"2.0","id":1}"#.into(),
            StatusCode::BAD_REQUEST,
            Some(-32600),
        ),
        (
            "params not an object",
            json_headers.to_vec(),
            r#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":[1]}"#.into(),
            StatusCode::BAD_REQUEST,
            Some(-32602),
        ),
        (
            "huge body",
            json_headers.to_vec(),
            huge,
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
        ),
        (
            "wrong content type",
            vec![
                ("content-type", "text/plain"),
                ("accept", "application/json, text/event-stream"),
            ],
            "{}".into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
        ),
        (
            "wrong accept",
            vec![
                ("content-type", "application/json"),
                ("accept", "application/json"),
            ],
            "{}".into(),
            StatusCode::NOT_ACCEPTABLE,
            None,
        ),
        (
            "foreign origin",
            [
                json_headers.as_slice(),
                &[("origin", "https://evil.example")],
            ]
            .concat(),
            "{}".into(),
            StatusCode::FORBIDDEN,
            None,
        ),
        (
            "loopback origin on another port is still foreign when the scheme differs",
            [json_headers.as_slice(), &[("origin", "ftp://localhost:21")]].concat(),
            "{}".into(),
            StatusCode::FORBIDDEN,
            None,
        ),
        (
            "foreign host",
            [json_headers.as_slice(), &[("host", "evil.example")]].concat(),
            "{}".into(),
            StatusCode::FORBIDDEN,
            None,
        ),
    ];
    for (what, headers, body, status, code) in cases {
        let reply = server.post(&headers, body).await;
        assert_eq!(reply.status, status, "{what}: {}", reply.text);
        if let Some(code) = code {
            let message = reply.message();
            assert_eq!(message["error"]["code"], code, "{what}: {message}");
            assert_eq!(message["jsonrpc"], "2.0", "{what}");
        }
        server.is_alive().await;
    }
    let reply = server
        .post(
            &json_headers,
            r#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":[1]}"#,
        )
        .await;
    assert_eq!(
        reply.message()["id"],
        9,
        "the request id is echoed when there is one"
    );

    // A known method with ill-typed params is -32602 naming the field, not "method not found".
    let reply = server.modern("tools/call", None, json!({"name": 5})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let error = &reply.message()["error"];
    assert_eq!(error["code"], -32602, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("`name` must be a string"),
        "{error}"
    );
    let reply = server
        .modern(
            "tools/call",
            Some("list_all_demo_widgets"),
            json!({"name": "list_all_demo_widgets", "arguments": [1]}),
        )
        .await;
    assert!(
        reply.message()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`arguments` must be an object"),
        "{}",
        reply.text
    );
    server.is_alive().await;
}

#[tokio::test]
async fn origins_loopback_by_default_plus_configured_ones() {
    let mut options = HttpOptions::new(SocketAddr::from(([127, 0, 0, 1], 0)));
    options.allowed_origins = vec!["https://app.example.com".into()];
    let server = start(options).await;
    let list = |origin: &'static str| {
        let server = &server;
        async move {
            let mut params = json!({});
            params["_meta"] = modern_meta();
            let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": params});
            server
                .post_json(
                    &[
                        ("origin", origin),
                        ("mcp-protocol-version", "2026-07-28"),
                        ("mcp-method", "tools/list"),
                    ],
                    &body,
                )
                .await
                .status
        }
    };
    assert_eq!(list("http://localhost:6274").await, StatusCode::OK);
    assert_eq!(list("http://127.0.0.1:3000").await, StatusCode::OK);
    assert_eq!(list("https://app.example.com").await, StatusCode::OK);
    assert_eq!(
        list("https://app.example.com:8443").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(list("http://app.example.com").await, StatusCode::FORBIDDEN);
    assert_eq!(list("null").await, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn other_paths_are_not_found() {
    let server = start_default().await;
    let url = server.url.replace("/mcp", "/other");
    let response = server
        .http
        .post(url)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[test]
fn non_loopback_listen_needs_an_explicit_flag() {
    let mut options = HttpOptions::new(SocketAddr::from(([0, 0, 0, 0], 8080)));
    let error = options.validate().unwrap_err();
    assert_eq!(error.exit_code(), 2);
    assert!(
        error.to_string().contains("--allow-non-loopback"),
        "{error}"
    );
    options.allow_non_loopback = true;
    assert!(options.validate().is_ok());
    options.allowed_origins = vec!["app.example.com".into()];
    assert!(
        options
            .validate()
            .unwrap_err()
            .to_string()
            .contains("app.example.com")
    );
}

/// Found by the soak (`benches/soak.sh`): shutdown ended the sessions at once, so a session
/// request still running got a `200` SSE stream with no reply in it. Now the reply is sent
/// first, and open GET streams still end, so shutdown does not hang on them.
#[tokio::test]
async fn shutdown_answers_session_requests_in_flight_before_ending_sessions() {
    let mut server = start_default().await;
    let stop = std::mem::replace(&mut server._stop, oneshot::channel().0);
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}});
    let reply = server.post_json(&[], &init).await;
    let session = reply.headers["mcp-session-id"].to_str().unwrap().to_owned();
    let session_headers = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", "2025-11-25"),
    ];
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let reply = server.post_json(&session_headers, &initialized).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text);
    let stream = server
        .http
        .get(&server.url)
        .header("accept", "text/event-stream")
        .header("mcp-session-id", &session)
        .header("mcp-protocol-version", "2025-11-25")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);

    // The "slow" widget takes 300 ms; shutdown begins 100 ms into it.
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "get_single_demo_widget_by_id", "arguments": {"id": "slow"}}});
    let (reply, ()) = tokio::join!(server.post_json(&session_headers, &call), async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        drop(stop);
    });
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.message()["result"]["structuredContent"]["slug"],
        "slow",
        "{}",
        reply.text
    );
    tokio::time::timeout(std::time::Duration::from_secs(5), stream.bytes())
        .await
        .expect("the GET stream ends once the request in flight is answered")
        .ok();
}
