//! Clients that hold connections, headers or bodies (docs/security.md, finding 1), against
//! `mcp-server http`'s router and hosted mode's, each served on a real socket through
//! `mcpgen_server::connections::serve` with short limits. They live here, with hosted mode,
//! because that is the crate that has both.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use fake_chronosphere::FakeHandle;
use hosted_support::{Hosting, TempDir, fake};
use mcpgen_runtime::{Credentials, UpstreamClient, UpstreamConfig};
use mcpgen_server::connections::{self, ConnectionLimits};
use mcpgen_server::{Catalog, HttpOptions, McpHandler};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

const LIMITS: ConnectionLimits = ConnectionLimits {
    header_timeout: Duration::from_millis(800),
    body_timeout: Duration::from_millis(800),
    max_header_bytes: 16 * 1024,
    max_request_body_bytes: 4 * 1024 * 1024,
    max_connections: 4,
};

/// A served router; stops when dropped.
struct Served {
    addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

async fn serve(app: Router, limits: ConnectionLimits) -> Served {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(connections::serve(listener, app, limits, async move {
        let _ = stopped.await;
    }));
    Served { addr, _stop: stop }
}

/// `mcp-server http`'s router; the path to post to.
async fn http_mode(limits: ConnectionLimits) -> (Served, String) {
    let options = HttpOptions {
        limits,
        ..HttpOptions::new(SocketAddr::from(([127, 0, 0, 1], 0)))
    };
    // Nothing reaches the upstream in these tests: no body ever arrives whole.
    let integration = &mcpgen_chronosphere::INTEGRATION;
    let credentials = Credentials::new()
        .with("tenant", "acme")
        .with("api_token", "token");
    let config = UpstreamConfig {
        base_url: Some("http://127.0.0.1:9".to_owned()),
        ..UpstreamConfig::default()
    };
    let client = UpstreamClient::new(integration, credentials, config).unwrap();
    let handler = McpHandler::new(Catalog::new(integration).unwrap(), client);
    let app = mcpgen_server::http::router(
        handler,
        &options,
        tokio_util::sync::CancellationToken::new(),
    )
    .unwrap();
    (serve(app, limits).await, "/mcp".to_owned())
}

/// Hosted mode served, with one live MCP server, and what it needs kept alive.
struct HostedMode {
    served: Served,
    /// The path of the live MCP server.
    path: String,
    _dir: TempDir,
    _hosting: Hosting,
    _upstream: FakeHandle,
}

async fn hosted_mode(limits: ConnectionLimits) -> HostedMode {
    let dir = TempDir::new();
    let upstream = fake("token").await;
    let hosting = Hosting::new(&dir, Some(upstream.url())).await;
    let account = hosting.account("acme", "token").await;
    let server = hosting.server(&account, json!({"name": "s"})).await;
    let url = server["url"].as_str().unwrap();
    let path = url
        .strip_prefix(hosted_support::PUBLIC_URL)
        .unwrap()
        .to_owned();
    HostedMode {
        served: serve(hosting.app.clone(), limits).await,
        path,
        _dir: dir,
        _hosting: hosting,
        _upstream: upstream,
    }
}

/// Reads what the server sends until it closes (or `within` passes: then `None`).
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, stream.read_to_end(&mut received)).await;
    match read {
        Ok(_) => Some(String::from_utf8_lossy(&received).into_owned()),
        Err(_) => None,
    }
}

fn head(path: &str, content_length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nhost: 127.0.0.1:8080\r\ncontent-type: application/json\r\n\
         accept: application/json, text/event-stream\r\ncontent-length: {content_length}\r\n\r\n"
    )
}

#[tokio::test]
async fn a_bogus_token_is_refused_before_its_body_is_read() {
    let hosted = hosted_mode(ConnectionLimits {
        body_timeout: Duration::from_secs(30),
        ..LIMITS
    })
    .await;
    let served = &hosted.served;
    // The finding: Content-Length 4,000,000 and 1,000 bytes sent; no answer within 3 s.
    let started = Instant::now();
    let mut stream = TcpStream::connect(served.addr).await.unwrap();
    stream
        .write_all(head("/mcp/bogus-token", 4_000_000).as_bytes())
        .await
        .unwrap();
    stream.write_all(&[b' '; 1000]).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut answer))
        .await
        .expect("answered without waiting for the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(answer.contains("no MCP server at this URL"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn half_sent_headers_are_closed_after_the_header_timeout() {
    let (http, _) = http_mode(LIMITS).await;
    let hosted = hosted_mode(LIMITS).await;
    for addr in [http.addr, hosted.served.addr] {
        let started = Instant::now();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"POST /mcp HTTP/1.1\r\nhost: 127.0.0.1:8080\r\ncontent-")
            .await
            .unwrap();
        let closed = read_until_closed(&mut stream, Duration::from_secs(5)).await;
        assert!(closed.is_some(), "{addr}: still open after 5 s");
        let elapsed = started.elapsed();
        assert!(
            elapsed >= LIMITS.header_timeout && elapsed < Duration::from_secs(3),
            "{addr}: closed after {elapsed:?}"
        );
    }
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let (http, _) = http_mode(LIMITS).await;
    let started = Instant::now();
    let mut stream = TcpStream::connect(http.addr).await.unwrap();
    let closed = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert_eq!(closed.as_deref(), Some(""), "nothing sent, then closed");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_answered_408() {
    let (http, http_path) = http_mode(LIMITS).await;
    let hosted = hosted_mode(LIMITS).await;
    for (addr, path) in [
        (http.addr, http_path),
        (hosted.served.addr, hosted.path.clone()),
    ] {
        let started = Instant::now();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(head(&path, 100).as_bytes()).await.unwrap();
        // A slow drip: a byte every 200 ms would take 20 s.
        let drip = async {
            for _ in 0..100 {
                if stream.write_all(b" ").await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(2), drip).await;
        let answer = read_until_closed(&mut stream, Duration::from_secs(5))
            .await
            .expect("closed after the answer");
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer}");
        assert!(
            answer.contains("the request body did not arrive within 800ms"),
            "{answer}"
        );
        assert!(started.elapsed() < Duration::from_secs(4), "{path}");
    }
}

#[tokio::test]
async fn a_slow_admin_body_is_answered_408() {
    let hosted = hosted_mode(LIMITS).await;
    let mut stream = TcpStream::connect(hosted.served.addr).await.unwrap();
    let head = format!(
        "POST /integrated-account HTTP/1.1\r\nhost: 127.0.0.1:8080\r\n\
         authorization: Bearer {}\r\ncontent-type: application/json\r\n\
         content-length: 100\r\n\r\n{{",
        hosted_support::ADMIN_TOKEN
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(5))
        .await
        .expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body_timeout"), "{answer}");
}

/// The three doors of the two servers: `mcp-server http`'s `/mcp`, and hosted mode's admin API
/// and `/mcp/<token>` (one port).
fn doors(http: &Served, hosted: &HostedMode) -> [(SocketAddr, String); 3] {
    [
        (http.addr, "/mcp".to_owned()),
        (hosted.served.addr, "/integrated-account".to_owned()),
        (hosted.served.addr, hosted.path.clone()),
    ]
}

#[tokio::test]
async fn an_oversized_head_is_answered_431() {
    let (http, _) = http_mode(LIMITS).await;
    let hosted = hosted_mode(LIMITS).await;
    for (addr, path) in doors(&http, &hosted) {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let big = "a".repeat(200 * 1024);
        let request = format!(
            "POST {path} HTTP/1.1\r\nhost: 127.0.0.1:8080\r\ncontent-type: application/json\r\n\
             authorization: Bearer {}\r\nx-big: {big}\r\ncontent-length: 2\r\n\r\n{{}}",
            hosted_support::ADMIN_TOKEN
        );
        let _ = stream.write_all(request.as_bytes()).await;
        let answer = read_until_closed(&mut stream, Duration::from_secs(5))
            .await
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 431"), "{path}: {answer:.200}");
    }
}

/// How a test body says its length.
#[derive(Debug, Clone, Copy)]
enum Framing {
    ContentLength,
    Chunked,
}

/// Writes a request head and `body_len` bytes of body, all of it before reading anything (as
/// most HTTP clients do), then returns whether the writes went through and the status line the
/// server answered, if any arrived.
async fn write_whole_then_read(
    addr: SocketAddr,
    path: &str,
    framing: Framing,
    body_len: usize,
) -> (bool, Option<String>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let length = match framing {
        Framing::ContentLength => format!("content-length: {body_len}"),
        Framing::Chunked => "transfer-encoding: chunked".to_owned(),
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: 127.0.0.1:8080\r\ncontent-type: application/json\r\n\
         accept: application/json, text/event-stream\r\nauthorization: Bearer {}\r\n\
         {length}\r\n\r\n",
        hosted_support::ADMIN_TOKEN
    );
    let body = match framing {
        Framing::ContentLength => vec![b' '; body_len],
        Framing::Chunked => {
            let piece = 64 * 1024;
            let mut body = Vec::with_capacity(body_len + body_len / piece * 16 + 8);
            for _ in 0..body_len / piece {
                body.extend_from_slice(format!("{piece:x}\r\n").as_bytes());
                body.extend(std::iter::repeat_n(b' ', piece));
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(b"0\r\n\r\n");
            body
        }
    };
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&body).await
    };
    let wrote = matches!(
        tokio::time::timeout(Duration::from_secs(10), write).await,
        Ok(Ok(()))
    );
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    let read = async {
        while !received.windows(2).any(|pair| pair == b"\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => received.extend_from_slice(&buffer[..read]),
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), read).await;
    let text = String::from_utf8_lossy(&received);
    let status = text
        .split("\r\n")
        .next()
        .filter(|line| line.starts_with("HTTP/"));
    (wrote, status.map(str::to_owned))
}

/// 8 MiB against caps of 1 MiB (`/mcp`, `/mcp/<token>`) and 2 MiB (the admin API, axum's
/// default): before the drain, the server closed with the body unread, the kernel reset the
/// connection, and the client's write failed or its read lost the 413.
#[tokio::test]
async fn a_client_that_writes_its_whole_body_first_reads_the_413() {
    let limits = ConnectionLimits {
        max_request_body_bytes: 1024 * 1024,
        body_timeout: Duration::from_secs(10),
        ..LIMITS
    };
    let (http, _) = http_mode(limits).await;
    let hosted = hosted_mode(limits).await;
    for (addr, path) in doors(&http, &hosted) {
        for framing in [Framing::ContentLength, Framing::Chunked] {
            let started = Instant::now();
            let (wrote, status) = write_whole_then_read(addr, &path, framing, 8 << 20).await;
            assert!(
                wrote,
                "{path} {framing:?}: the body could not be written whole"
            );
            assert_eq!(
                status.as_deref(),
                Some("HTTP/1.1 413 Payload Too Large"),
                "{path} {framing:?}"
            );
            assert!(started.elapsed() < Duration::from_secs(5), "{path}");
        }
    }
}

/// Past the drain bound the connection is closed rather than read: a declared 64 MiB at once,
/// a chunked 64 MiB once the bound is drained (the body timeout here is 30 s).
#[tokio::test]
async fn a_body_past_the_drain_bound_is_not_read() {
    let limits = ConnectionLimits {
        max_request_body_bytes: 1024 * 1024,
        body_timeout: Duration::from_secs(30),
        ..LIMITS
    };
    let declared = 4 * connections::MAX_DRAIN_BYTES as usize;
    let (http, _) = http_mode(limits).await;
    let hosted = hosted_mode(limits).await;
    for (addr, path) in doors(&http, &hosted) {
        for framing in [Framing::ContentLength, Framing::Chunked] {
            let started = Instant::now();
            let (wrote, _) = write_whole_then_read(addr, &path, framing, declared).await;
            assert!(!wrote, "{path} {framing:?}: the server read the whole body");
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{path} {framing:?}"
            );
        }
    }
}

#[tokio::test]
async fn connections_over_the_cap_wait_for_a_free_slot() {
    let limits = ConnectionLimits {
        max_connections: 2,
        header_timeout: Duration::from_secs(30),
        ..LIMITS
    };
    let hosted = hosted_mode(limits).await;
    let hosted = &hosted.served;
    let health = b"GET /health HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nconnection: close\r\n\r\n";
    // Two idle connections take both slots.
    let first = TcpStream::connect(hosted.addr).await.unwrap();
    let second = TcpStream::connect(hosted.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = TcpStream::connect(hosted.addr).await.unwrap();
    third.write_all(health).await.unwrap();
    let waiting = read_until_closed(&mut third, Duration::from_millis(500)).await;
    assert_eq!(
        waiting, None,
        "answered while two connections held both slots"
    );
    drop(first);
    let answer = read_until_closed(&mut third, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(second);
}
