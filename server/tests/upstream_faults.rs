//! The upstream fault matrix, at the level an agent sees it: one `tools/call` of the generated
//! Chronosphere `get_single_chronosphere_team_by_id` through the real [`McpHandler`] and its
//! [`UpstreamClient`], against a scripted upstream on loopback (a raw TCP listener, so replies
//! can be cut, reset, dripped or lied about).
//!
//! Every case checks the same things: the answer is a tool result with `isError: true` (never a
//! JSON-RPC error, never a panic) whose text names what went wrong; it arrives within the
//! configured timeout plus a margin; the credential appears neither in the result nor in any log
//! line (every target captured at `trace`); and the next call on the same handler, to the same
//! upstream now healthy, succeeds.
//!
//! `runtime/tests/failures.rs` covers the same failures one level down (the `UpstreamError`
//! values and their exact text); this file is about what reaches the agent.
#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mcpgen_runtime::{Credentials, UpstreamConfig};
use mcpgen_server::{McpHandler, Server};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tracing_subscriber::util::SubscriberInitExt as _;

/// The secret credential. Fault bodies echo it wherever an upstream plausibly would.
const TOKEN: &str = "tok-SECRET-4f1d9c2e7b";
/// The configured upstream timeout.
const TIMEOUT: Duration = Duration::from_secs(1);
/// The configured reply body cap.
const BODY_CAP: usize = 1024 * 1024;
/// How late past [`TIMEOUT`] an answer may come (a loaded debug build on 2 cores).
const MARGIN: Duration = Duration::from_millis(700);
/// What the huge replies would send: 50 MiB.
const HUGE: usize = 50 * 1024 * 1024;
const TOOL: &str = "get_single_chronosphere_team_by_id";

/// What the scripted upstream does with the first request; every later request is answered
/// with a healthy team.
#[derive(Debug, Clone)]
enum Fault {
    /// Nothing listens at first; a healthy upstream binds the port after the failed call.
    Refused,
    /// Reads the request and never answers.
    Silent,
    /// Status line, headers and raw bytes (the body as far as it goes), then a reset
    /// (`SO_LINGER` 0) or a plain close.
    Cut { reply: Vec<u8>, reset: bool },
    /// A complete reply.
    Reply(Vec<u8>),
    /// `HUGE` bytes of a JSON string, with or without `Content-Length`.
    Huge { content_length: bool },
    /// Headers promising 100 bytes, then one byte a second.
    Drip,
    /// A redirect to another origin, whose hits are counted.
    Redirect,
}

/// What the agent must see for a fault.
struct Expect {
    /// `structuredContent.error.kind`.
    kind: &'static str,
    /// Words the text must contain (case-insensitive).
    words: &'static [&'static str],
    /// `structuredContent.error.status`, when the upstream sent one.
    status: Option<u16>,
}

fn reply(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.into_bytes()
}

fn healthy() -> Vec<u8> {
    reply(
        "200 OK",
        &[("content-type", "application/json")],
        r#"{"team": {"slug": "a", "name": "Team A"}}"#,
    )
}

/// The scripted upstream: what it saw and did, for the assertions.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    /// Bytes of a huge reply the upstream managed to write before the client stopped reading.
    huge_written: AtomicUsize,
    /// Requests that reached the redirect's target.
    elsewhere: AtomicUsize,
}

struct Upstream {
    addr: SocketAddr,
    seen: Arc<Seen>,
}

impl Upstream {
    async fn start(fault: Fault) -> Self {
        let seen = Arc::new(Seen::default());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let elsewhere = if matches!(fault, Fault::Redirect) {
            Some(Self::elsewhere(Arc::clone(&seen)).await)
        } else {
            None
        };
        if matches!(fault, Fault::Refused) {
            // Closed now; `heal` binds it again for the next call.
            drop(listener);
        } else {
            tokio::spawn(accept(listener, fault, elsewhere, Arc::clone(&seen)));
        }
        Self { addr, seen }
    }

    /// After a refused connection: a healthy upstream on the same port.
    async fn heal(&self) {
        let listener = TcpListener::bind(self.addr).await.unwrap();
        tokio::spawn(accept(
            listener,
            Fault::Reply(healthy()),
            None,
            Arc::clone(&self.seen),
        ));
    }

    /// Another origin (same host, another port) that would hand out a team if asked.
    async fn elsewhere(seen: Arc<Seen>) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                seen.elsewhere.fetch_add(1, Ordering::SeqCst);
                let _ = read_head(&mut socket).await;
                let _ = socket.write_all(&healthy()).await;
            }
        });
        addr
    }
}

async fn accept(
    listener: TcpListener,
    fault: Fault,
    elsewhere: Option<SocketAddr>,
    seen: Arc<Seen>,
) {
    while let Ok((socket, _)) = listener.accept().await {
        tokio::spawn(connection(
            socket,
            fault.clone(),
            elsewhere,
            Arc::clone(&seen),
        ));
    }
}

/// Serves requests on one connection (keep-alive, as the client pools): the first request of
/// the upstream's life gets the fault, the rest a healthy team.
async fn connection(
    mut socket: TcpStream,
    fault: Fault,
    elsewhere: Option<SocketAddr>,
    seen: Arc<Seen>,
) {
    while read_head(&mut socket).await.is_some() {
        if seen.requests.fetch_add(1, Ordering::SeqCst) > 0 {
            if socket.write_all(&healthy()).await.is_err() {
                return;
            }
            continue;
        }
        match &fault {
            Fault::Refused => unreachable!("nothing listens"),
            Fault::Silent => {
                // Held open, unanswered, until the client gives up.
                let mut rest = Vec::new();
                let _ = socket.read_to_end(&mut rest).await;
                return;
            }
            Fault::Cut { reply, reset } => {
                let _ = socket.write_all(reply).await;
                let _ = socket.flush().await;
                // Let the client read what was sent before the connection goes.
                tokio::time::sleep(Duration::from_millis(50)).await;
                if *reset {
                    socket.set_zero_linger().unwrap();
                }
                return;
            }
            Fault::Reply(reply) => {
                if socket.write_all(reply).await.is_err() {
                    return;
                }
            }
            Fault::Huge { content_length } => {
                huge(&mut socket, *content_length, &seen).await;
                return;
            }
            Fault::Drip => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for byte in b"{\"team\": {\"slug\": \"a\"}}".iter().cycle().take(100) {
                    if socket.write_all(&[*byte]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                return;
            }
            Fault::Redirect => {
                let target = format!("http://{}/api/v1/config/teams/a", elsewhere.unwrap());
                let reply = reply("302 Found", &[("location", &target)], "");
                if socket.write_all(&reply).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Writes `HUGE` bytes of `{"team": {"slug": "xxxx...` in 64 KiB pieces until the client stops
/// reading, counting what was written.
async fn huge(socket: &mut TcpStream, content_length: bool, seen: &Seen) {
    let head = if content_length {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUGE}\r\n\r\n"
        )
    } else {
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_owned()
    };
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let opening = b"{\"team\": {\"slug\": \"";
    let mut piece = vec![b'x'; 64 * 1024];
    piece[..opening.len()].copy_from_slice(opening);
    let mut written = 0;
    while written < HUGE {
        let frame = if content_length {
            piece.clone()
        } else {
            [format!("{:x}\r\n", piece.len()).as_bytes(), &piece, b"\r\n"].concat()
        };
        if socket.write_all(&frame).await.is_err() {
            break;
        }
        written += piece.len();
        seen.huge_written.store(written, Ordering::SeqCst);
        piece.fill(b'x');
    }
}

/// Reads one request head (the tool's GET has no body); `None` when the client closed.
async fn read_head(socket: &mut TcpStream) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(head)
}

/// Log output of every target at `trace` (`log` records included), for the thread the test
/// runs on (a current-thread runtime: the handler, the client and hyper's tasks all run there).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn handler(upstream: SocketAddr) -> McpHandler {
    let credentials = Credentials::new()
        .with("tenant", "acme")
        .with("api_token", TOKEN);
    let config = UpstreamConfig {
        base_url: Some(format!("http://{upstream}")),
        timeout: TIMEOUT,
        max_body_bytes: BODY_CAP,
        ..UpstreamConfig::default()
    };
    Server::builder(&mcpgen_chronosphere::INTEGRATION)
        .credentials(credentials)
        .upstream(config)
        .build()
        .unwrap()
        .handler()
        .clone()
}

/// One call of the tool; the result as JSON (what a client would receive) and how long it took.
async fn call(handler: &McpHandler) -> (Value, Duration) {
    let started = Instant::now();
    let arguments = json!({"id": "a"}).as_object().unwrap().clone();
    let result = handler.call(TOOL, arguments).await;
    let elapsed = started.elapsed();
    let result = result.unwrap_or_else(|error| panic!("a JSON-RPC error, not a result: {error:?}"));
    (serde_json::to_value(&result).unwrap(), elapsed)
}

/// Runs `fault` through the handler and checks everything the module doc lists; returns the
/// failed call's result text and the upstream's record for case-specific checks.
async fn check(fault: Fault, expect: Expect) -> (String, Arc<Seen>) {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Also routes `log` records (reqwest logs through `log`) to this subscriber.
    let _guard = subscriber.set_default();

    let refused = matches!(fault, Fault::Refused);
    let upstream = Upstream::start(fault).await;
    let handler = handler(upstream.addr);

    let (result, elapsed) = call(&handler).await;
    assert_eq!(result["isError"], true, "{result:#}");
    let text = result["content"][0]["text"].as_str().unwrap().to_owned();
    let error = &result["structuredContent"]["error"];
    assert_eq!(error["kind"], expect.kind, "{result:#}");
    assert_eq!(
        error["status"].as_u64(),
        expect.status.map(u64::from),
        "{result:#}"
    );
    let lower = text.to_lowercase();
    for word in expect.words {
        assert!(
            lower.contains(&word.to_lowercase()),
            "{word:?} missing from {text:?}"
        );
    }
    // The matrix in the report: `cargo test ... -- --nocapture` prints each case's answer.
    eprintln!(
        "{}: {elapsed:.2?}: {text}",
        std::thread::current().name().unwrap_or("")
    );
    assert!(
        elapsed <= TIMEOUT + MARGIN,
        "answered after {elapsed:?}: {text}"
    );
    let everything = result.to_string();
    assert!(
        !everything.contains(TOKEN),
        "the credential leaked: {everything}"
    );

    if refused {
        upstream.heal().await;
    }
    let (healthy, _) = call(&handler).await;
    assert_eq!(
        healthy["isError"], false,
        "the next call failed: {healthy:#}"
    );
    assert_eq!(
        healthy["structuredContent"],
        json!({"slug": "a", "name": "Team A"})
    );

    let logs = logs.text();
    // `DUMP_LOGS=1 cargo test ... -- --nocapture` shows what was searched.
    if std::env::var_os("DUMP_LOGS").is_some() {
        eprintln!("{logs}");
    }
    assert!(
        logs.contains("tool call failed upstream"),
        "the failure was not logged: {logs}"
    );
    assert!(
        !logs.contains(TOKEN),
        "the credential reached the log: {logs}"
    );
    (text, upstream.seen)
}

#[tokio::test]
async fn connection_refused() {
    check(
        Fault::Refused,
        Expect {
            kind: "connect",
            words: &["could not connect", "refused"],
            status: None,
        },
    )
    .await;
}

#[tokio::test]
async fn no_reply_times_out() {
    check(
        Fault::Silent,
        Expect {
            kind: "timeout",
            words: &["timed out", "no reply within 1 s"],
            status: None,
        },
    )
    .await;
}

#[tokio::test]
async fn reset_mid_body() {
    let body = format!(r#"{{"team": {{"slug": "a", "description": "{TOKEN}"#);
    let mut cut = reply(
        "200 OK",
        &[("content-type", "application/json")],
        &format!("{body}{}", " ".repeat(1000)),
    );
    cut.truncate(cut.len() - 1000);
    check(
        Fault::Cut {
            reply: cut,
            reset: true,
        },
        Expect {
            kind: "transport",
            words: &["reset the connection before its reply was complete"],
            status: None,
        },
    )
    .await;
}

#[tokio::test]
async fn closed_before_the_content_length() {
    let mut cut = reply(
        "200 OK",
        &[("content-type", "application/json")],
        &format!(r#"{{"team": {{"slug": "a"}}}}{}"#, " ".repeat(1000)),
    );
    cut.truncate(cut.len() - 1000);
    check(
        Fault::Cut {
            reply: cut,
            reset: false,
        },
        Expect {
            kind: "transport",
            words: &["closed the connection before its reply was complete"],
            status: None,
        },
    )
    .await;
}

#[tokio::test]
async fn closed_without_a_reply() {
    check(
        Fault::Cut {
            reply: Vec::new(),
            reset: false,
        },
        Expect {
            kind: "transport",
            words: &["connection closed before message completed"],
            status: None,
        },
    )
    .await;
}

#[tokio::test]
async fn server_error_with_an_html_page() {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title>\
         <style>body {{ font-family: sans-serif; }}</style></head>\n<body><h1>Internal Server \
         Error</h1><p>Request with token {TOKEN} failed.</p></body></html>"
    );
    let (text, _) = check(
        Fault::Reply(reply(
            "500 Internal Server Error",
            &[("content-type", "text/html; charset=utf-8")],
            &page,
        )),
        Expect {
            kind: "upstream_status",
            words: &["HTTP 500", "HTML", "token [redacted] failed"],
            status: Some(500),
        },
    )
    .await;
    assert!(
        !text.contains("<style>") && !text.contains("font-family"),
        "{text}"
    );
}

#[tokio::test]
async fn invalid_json_with_status_200() {
    check(
        Fault::Reply(reply(
            "200 OK",
            &[("content-type", "application/json")],
            &format!(r#"{{"team": {{"slug": "a", "note": "{TOKEN}" "#),
        )),
        Expect {
            kind: "not_json",
            words: &["HTTP 200", "not JSON", "application/json", "[redacted]"],
            status: Some(200),
        },
    )
    .await;
}

#[tokio::test]
async fn fifty_mib_with_content_length() {
    let (_, seen) = check(
        Fault::Huge {
            content_length: true,
        },
        Expect {
            kind: "too_large",
            words: &["larger than 1048576 bytes"],
            status: None,
        },
    )
    .await;
    // Refused on the declared length: at most what socket buffers took before the close (a
    // few MiB; the bound leaves room for large autotuned buffers).
    let written = seen.huge_written.load(Ordering::SeqCst);
    eprintln!("the upstream wrote {written} bytes of {HUGE}");
    assert!(written < HUGE / 2, "the upstream wrote {written} bytes");
}

#[tokio::test]
async fn fifty_mib_chunked_without_content_length() {
    let (_, seen) = check(
        Fault::Huge {
            content_length: false,
        },
        Expect {
            kind: "too_large",
            words: &["larger than 1048576 bytes"],
            status: None,
        },
    )
    .await;
    // Counted as it arrived and dropped at the cap, not read to the end.
    let written = seen.huge_written.load(Ordering::SeqCst);
    eprintln!("the upstream wrote {written} bytes of {HUGE}");
    assert!(written < HUGE / 2, "the upstream wrote {written} bytes");
}

#[tokio::test]
async fn too_many_requests_with_rate_limit_headers() {
    check(
        Fault::Reply(reply(
            "429 Too Many Requests",
            &[
                ("content-type", "application/json"),
                ("retry-after", "30"),
                ("x-ratelimit-limit", "100"),
                ("x-ratelimit-remaining", "0"),
            ],
            &format!(r#"{{"message": "rate limited for token {TOKEN}"}}"#),
        )),
        Expect {
            kind: "upstream_status",
            words: &[
                "HTTP 429",
                "rate limited for token [redacted]",
                "ratelimit-limit: 100",
                "ratelimit-remaining: 0",
                "retry in 30 s",
            ],
            status: Some(429),
        },
    )
    .await;
}

#[tokio::test]
async fn too_many_requests_without_headers() {
    let (text, _) = check(
        Fault::Reply(reply("429 Too Many Requests", &[], "")),
        Expect {
            kind: "upstream_status",
            words: &["HTTP 429 Too Many Requests", "no retry time"],
            status: Some(429),
        },
    )
    .await;
    assert!(!text.contains("ratelimit-"), "{text}");
}

#[tokio::test]
async fn a_slow_drip_is_bounded_by_the_timeout() {
    let (text, _) = check(
        Fault::Drip,
        Expect {
            kind: "timeout",
            words: &["timed out", "its reply did not finish within 1 s"],
            status: None,
        },
    )
    .await;
    assert!(!text.contains("no reply"), "{text}");
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let (_, seen) = check(
        Fault::Redirect,
        Expect {
            kind: "upstream_status",
            words: &["HTTP 302", "not following a redirect to another origin"],
            status: Some(302),
        },
    )
    .await;
    assert_eq!(
        seen.elsewhere.load(Ordering::SeqCst),
        0,
        "the credential followed the redirect"
    );
}

#[tokio::test]
async fn xml_with_an_xml_content_type() {
    check(
        Fault::Reply(reply(
            "200 OK",
            &[("content-type", "application/xml")],
            &format!("<?xml version=\"1.0\"?><team><slug>a</slug><key>{TOKEN}</key></team>"),
        )),
        Expect {
            kind: "not_json",
            words: &["not JSON", "content-type application/xml", "<team>"],
            status: Some(200),
        },
    )
    .await;
}

#[tokio::test]
async fn json_looking_text_with_a_text_content_type() {
    check(
        Fault::Reply(reply(
            "200 OK",
            &[("content-type", "text/plain")],
            &format!("{{team: {{slug: 'a', key: '{TOKEN}'}}}}"),
        )),
        Expect {
            kind: "not_json",
            words: &["not JSON", "content-type text/plain", "[redacted]"],
            status: Some(200),
        },
    )
    .await;
}

/// Not a fault: JSON under a wrong content type is read as JSON (upstreams mislabel it, and
/// `+json` types abound); the typed decoding still checks its shape.
#[tokio::test]
async fn json_with_a_text_content_type_is_accepted() {
    let upstream = Upstream::start(Fault::Reply(reply(
        "200 OK",
        &[("content-type", "text/plain")],
        r#"{"team": {"slug": "a", "name": "Team A"}}"#,
    )))
    .await;
    let (result, _) = call(&handler(upstream.addr)).await;
    assert_eq!(result["isError"], false, "{result:#}");
    assert_eq!(result["structuredContent"]["slug"], "a");
}
