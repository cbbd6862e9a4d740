//! A hostile corpus against the admin API and `/mcp/<token>` (bad JSON, huge ids, SQL-ish
//! strings, path traversal, bad tokens, wrong methods, invalid UTF-8, deep nesting), in-process
//! and as raw bytes over TCP: every request is refused (or, on a valid MCP URL, answered)
//! without a server error, and afterwards the database passes `PRAGMA integrity_check` and
//! not one row differs.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use std::time::Duration;

use axum::body::Body;
use hosted_support::{ADMIN_TOKEN, Hosting, PUBLIC_URL, TempDir, fake};
use http::{Request, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "upstream-token-for-hostile-input";

/// Every row of every table (the schema, migrations and audit log included), as text; on
/// SQLite after `PRAGMA integrity_check` says `ok`.
async fn dump(hosting: &Hosting) -> Vec<String> {
    let postgres = hosting.database.starts_with("postgres");
    let tables = if postgres {
        "SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
         FROM information_schema.columns WHERE table_schema = 'public'
         GROUP BY table_name ORDER BY table_name"
    } else {
        assert_eq!(hosting.query("PRAGMA integrity_check").await, [["ok"]]);
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
    };
    let mut lines: Vec<String> = Vec::new();
    for table in hosting.query(tables).await {
        let (name, schema) = (&table[0], &table[1]);
        lines.push(format!("schema {name}: {schema}"));
        // Ordered by the first column (each table's key), not by storage order.
        let rows = hosting
            .query(&format!("SELECT * FROM \"{name}\" ORDER BY 1"))
            .await;
        lines.extend(
            rows.into_iter()
                .map(|row| format!("{name}: {}", row.join(" | "))),
        );
    }
    lines
}

/// One hostile request: method, path (already percent-encoded where needed), headers, body.
struct Hostile {
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn admin(method: &'static str, path: impl Into<String>, body: impl Into<Vec<u8>>) -> Hostile {
    Hostile {
        method,
        path: path.into(),
        headers: vec![
            ("authorization", format!("Bearer {ADMIN_TOKEN}")),
            ("content-type", "application/json".into()),
        ],
        body: body.into(),
    }
}

fn unauthenticated(
    method: &'static str,
    path: impl Into<String>,
    authorization: Option<String>,
    body: impl Into<Vec<u8>>,
) -> Hostile {
    let mut headers = vec![("content-type", "application/json".into())];
    if let Some(value) = authorization {
        headers.push(("authorization", value));
    }
    Hostile {
        method,
        path: path.into(),
        headers,
        body: body.into(),
    }
}

fn mcp(method: &'static str, path: impl Into<String>, body: impl Into<Vec<u8>>) -> Hostile {
    Hostile {
        method,
        path: path.into(),
        headers: vec![
            ("host", "127.0.0.1:8080".into()),
            ("content-type", "application/json".into()),
            ("accept", "application/json, text/event-stream".into()),
            ("mcp-protocol-version", "2026-07-28".into()),
        ],
        body: body.into(),
    }
}

fn deep(depth: usize) -> Vec<u8> {
    let mut body = "[".repeat(depth);
    body.push_str(&"]".repeat(depth));
    body.into_bytes()
}

fn deep_object(depth: usize) -> Vec<u8> {
    let mut body = "{\"a\":".repeat(depth);
    body.push('1');
    body.push_str(&"}".repeat(depth));
    body.into_bytes()
}

fn stateless(method: &str, params: Value) -> Vec<u8> {
    let mut params = params;
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "hostile", "version": "0"}
    });
    json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        .to_string()
        .into_bytes()
}

const SQL: [&str; 6] = [
    "' OR '1'='1",
    "x'; DROP TABLE integrated_accounts; --",
    "\"; DELETE FROM mcp_servers; --",
    "1 UNION SELECT credentials FROM integrated_accounts",
    "acct_0000000000000000000000000000' --",
    "%' AND 1=1 --",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_corpus_changes_no_row() {
    let upstream = fake(TOKEN).await;
    let dir = TempDir::new();
    let hosting = Hosting::new(&dir, Some(upstream.url())).await;
    let account = hosting.account("acme", TOKEN).await;
    let open = hosting
        .server(
            &account,
            json!({"name": "reader", "config": {"methods": ["read"]}}),
        )
        .await;
    let guarded = hosting
        .server(
            &account,
            json!({"name": "guarded", "config": {"require_api_token_auth": true}}),
        )
        .await;
    let (_, issued) = hosting.admin("POST", "/api-tokens", None).await;
    let api_token = issued["token"].as_str().unwrap().to_owned();
    let token_id = issued["id"].as_str().unwrap().to_owned();
    let path_of = |server: &Value| {
        server["url"]
            .as_str()
            .unwrap()
            .strip_prefix(PUBLIC_URL)
            .unwrap()
            .to_owned()
    };
    let (open_path, guarded_path) = (path_of(&open), path_of(&guarded));
    let server_id = open["id"].as_str().unwrap().to_owned();
    let servers = format!("/integrated-account/{account}/mcp");
    let before = dump(&hosting).await;

    let valid_account =
        json!({"integration": "chronosphere", "credentials": {"tenant": "evil", "api_token": TOKEN}}).to_string();
    // Just under what `http::Uri` can hold.
    let huge_id = "a".repeat(60_000);
    let mut corpus: Vec<Hostile> = vec![
        // Bad JSON, the wrong shape, too large, too deep.
        admin("POST", "/integrated-account", ""),
        admin("POST", "/integrated-account", "{"),
        admin("POST", "/integrated-account", "{\"integration\": \"chronosphere\", \"credentials\": "),
        admin("POST", "/integrated-account", "null"),
        admin("POST", "/integrated-account", "[]"),
        admin("POST", "/integrated-account", "1e999999"),
        admin("POST", "/integrated-account", "\u{0}\u{1}\u{2}"),
        admin("POST", "/integrated-account", vec![0xff, 0xfe, 0xfd, b'{', b'}']),
        admin("POST", "/integrated-account", b"{\"integration\": \"chron\xffosphere\", \"credentials\": {}}".to_vec()),
        admin("POST", "/integrated-account", deep(100_000)),
        admin("POST", "/integrated-account", deep_object(100_000)),
        admin("POST", &servers, deep(5_000)),
        admin("POST", "/integrated-account", format!("{{\"integration\": \"{}\"}}", "x".repeat(3 << 20))),
        admin("POST", "/integrated-account", valid_account.replace('}', ", \"extra\": 1}")),
        admin("POST", "/integrated-account", json!({"integration": "chronosphere", "credentials": {"tenant": "a", "api_token": "b", "x' OR 1=1 --": "c"}}).to_string()),
        admin("POST", "/integrated-account", json!({"integration": "chronosphere", "credentials": {"tenant": "a", "api_token": 1}}).to_string()),
        // Server input that must be refused.
        admin("POST", &servers, json!({"name": ""}).to_string()),
        admin("POST", &servers, json!({"name": "x".repeat(201)}).to_string()),
        admin("POST", &servers, json!({"name": "reader"}).to_string()),
        admin("POST", &servers, json!({"name": "n", "config": {"methods": [SQL[1]]}}).to_string()),
        admin("POST", &servers, json!({"name": "n", "config": {"tags": [SQL[2]]}}).to_string()),
        admin("POST", &servers, json!({"name": "n", "expires_at": SQL[0]}).to_string()),
        admin("POST", &servers, json!({"name": "n", "expires_at": "1970-01-01T00:00:00Z"}).to_string()),
        admin("POST", &servers, json!({"name": "n", "expires_at": "9999999-01-01T00:00:00Z"}).to_string()),
        admin("POST", &servers, json!({"name": "n", "config": {"max_result_bytes": u64::MAX}}).to_string()),
        admin("POST", &servers, json!({"name": "n", "config": {"max_result_bytes": -1}}).to_string()),
        admin("POST", &servers, json!({"name": "n", "config": {"tool_exposure": "everything"}}).to_string()),
        admin("PATCH", format!("{servers}/{server_id}"), json!({"name": "guarded"}).to_string()),
        admin("PATCH", format!("{servers}/{server_id}"), json!({"config": {"methods": ["delete'; --"]}}).to_string()),
        admin("PATCH", format!("{servers}/{server_id}"), json!({"expires_at": "yesterday"}).to_string()),
        admin("PATCH", format!("{servers}/{server_id}"), json!({"id": "mcp_0000000000000000000000000000"}).to_string()),
        admin("PATCH", format!("{servers}/{server_id}"), json!({"token_hash": "00"}).to_string()),
        admin("PATCH", format!("{servers}/{server_id}"), vec![0xc0, 0xaf]),
        // Unknown ids: SQL-ish, huge, other kinds, traversal.
        admin("GET", format!("/integrated-account/{huge_id}"), ""),
        admin("DELETE", format!("/integrated-account/{huge_id}"), ""),
        admin("DELETE", format!("{servers}/{huge_id}"), ""),
        admin("DELETE", format!("/api-tokens/{huge_id}"), ""),
        admin("DELETE", format!("/integrated-account/{server_id}"), ""),
        admin("DELETE", format!("/api-tokens/{account}"), ""),
        admin("DELETE", format!("/integrated-account/{}/mcp/{server_id}", "acct_0000000000000000000000000000"), ""),
        admin("PATCH", format!("/integrated-account/{}/mcp/{server_id}", "acct_0000000000000000000000000000"), json!({"name": "moved"}).to_string()),
        admin("POST", "/integrated-account/acct_0000000000000000000000000000/mcp", json!({"name": "orphan"}).to_string()),
        admin("DELETE", "/integrated-account/..%2Fapi-tokens", ""),
        admin("DELETE", "/integrated-account/%2e%2e", ""),
        admin("GET", "/integrated-account/../../etc/passwd", ""),
        admin("DELETE", format!("/integrated-account/{account}/mcp/..%2F..%2F{account}"), ""),
        admin("DELETE", "//integrated-account", ""),
        admin("DELETE", "/integrated-account/%FF%FE", ""),
        admin("DELETE", "/integrated-account/%C0%AF", ""),
        admin("DELETE", "/api-tokens/%00", ""),
        // Query strings of lists.
        admin("GET", "/integrated-account?limit=99999999999999999999999", ""),
        admin("GET", "/integrated-account?limit=1;DROP%20TABLE%20api_tokens", ""),
        admin("GET", "/integrated-account?next_cursor=%27%20OR%201%3D1--", ""),
        admin("GET", "/api-tokens?next_cursor=%FF%FE", ""),
        admin("GET", "/audit-log?limit=%00", ""),
        admin("GET", format!("/audit-log?next_cursor={huge_id}"), ""),
        admin("GET", format!("{servers}?next_cursor=mcp_{}", "f".repeat(28)).replace("mcp_", "mcp_x"), ""),
        // Wrong methods.
        admin("PUT", "/integrated-account", valid_account.clone()),
        admin("DELETE", "/integrated-account", ""),
        admin("PATCH", format!("/integrated-account/{account}"), valid_account.clone()),
        admin("PUT", format!("{servers}/{server_id}"), json!({"name": "put"}).to_string()),
        admin("GET", format!("/api-tokens/{token_id}"), ""),
        admin("PATCH", "/api-tokens", ""),
        admin("DELETE", "/audit-log", ""),
        admin("POST", "/audit-log", json!({"action": "account.delete"}).to_string()),
        admin("POST", "/health", ""),
    ];
    // Valid changes without the admin token, with wrong tokens, SQL in the token, an API token.
    for authorization in [
        None,
        Some("Bearer".to_owned()),
        Some("Bearer ".to_owned()),
        Some(format!("Bearer {api_token}")),
        Some(format!("Basic {ADMIN_TOKEN}")),
        Some(format!("Bearer {ADMIN_TOKEN}x")),
        Some(format!("Bearer {}", &ADMIN_TOKEN[1..])),
        Some(format!("Bearer {}", SQL[0])),
        Some(format!("Bearer {}", "x".repeat(100_000))),
    ] {
        corpus.push(unauthenticated(
            "POST",
            "/integrated-account",
            authorization.clone(),
            valid_account.clone(),
        ));
        corpus.push(unauthenticated(
            "DELETE",
            format!("/integrated-account/{account}"),
            authorization.clone(),
            "",
        ));
        corpus.push(unauthenticated(
            "PATCH",
            format!("{servers}/{server_id}"),
            authorization.clone(),
            json!({"name": "taken over"}).to_string(),
        ));
        corpus.push(unauthenticated(
            "POST",
            "/api-tokens",
            authorization.clone(),
            "",
        ));
        corpus.push(unauthenticated(
            "DELETE",
            format!("/api-tokens/{token_id}"),
            authorization,
            "",
        ));
    }
    for sql in SQL {
        let encoded: String = sql
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        corpus.push(admin(
            "DELETE",
            format!("/integrated-account/{encoded}"),
            "",
        ));
        corpus.push(admin("DELETE", format!("{servers}/{encoded}"), ""));
        corpus.push(admin("DELETE", format!("/api-tokens/{encoded}"), ""));
        corpus.push(admin(
            "GET",
            format!("/integrated-account?next_cursor={encoded}"),
            "",
        ));
        corpus.push(admin(
            "POST",
            format!("/integrated-account/{encoded}/mcp"),
            json!({"name": sql}).to_string(),
        ));
        corpus.push(admin(
            "POST",
            "/integrated-account",
            json!({"integration": sql, "credentials": {"tenant": sql, "api_token": sql}})
                .to_string(),
        ));
        corpus.push(mcp(
            "POST",
            format!("/mcp/{encoded}"),
            stateless("tools/list", json!({})),
        ));
    }
    let list = stateless("tools/list", json!({}));
    let valid_token = open_path.trim_start_matches("/mcp/").to_owned();
    let mut mcp_refused = vec![
        // Bad tokens: empty, short, wrong, extended, truncated, huge, traversal, invalid UTF-8.
        mcp("POST", "/mcp/", list.clone()),
        mcp("POST", "/mcp/x", list.clone()),
        mcp("POST", format!("/mcp/{}", "A".repeat(43)), list.clone()),
        mcp("POST", format!("{open_path}x"), list.clone()),
        mcp("POST", &open_path[..open_path.len() - 1], list.clone()),
        mcp("POST", format!("{open_path}%00"), list.clone()),
        mcp("POST", format!("{open_path}/extra"), list.clone()),
        mcp("POST", format!("/mcp/{huge_id}"), list.clone()),
        mcp("POST", "/mcp/..%2F..%2Fetc%2Fpasswd", list.clone()),
        mcp("POST", "/mcp/../integrated-account", valid_account.clone()),
        mcp("POST", "/mcp/%FF%FE%FD", list.clone()),
        mcp(
            "POST",
            format!("/mcp/{}", valid_token.to_uppercase()),
            list.clone(),
        ),
        // A server that needs an API token, without one or with the wrong kind.
        mcp("POST", guarded_path.clone(), list.clone()),
    ];
    for bad in [
        format!("Bearer {ADMIN_TOKEN}"),
        format!("Bearer {}", SQL[1]),
        format!("Bearer {valid_token}"),
        "Bearer".into(),
    ] {
        let mut request = mcp("POST", guarded_path.clone(), list.clone());
        request.headers.push(("authorization", bad));
        mcp_refused.push(request);
    }
    // On a valid URL: anything but a server error is acceptable (rmcp answers JSON-RPC errors).
    let mut mcp_answered = vec![
        mcp("POST", open_path.clone(), ""),
        mcp("POST", open_path.clone(), "{"),
        mcp("POST", open_path.clone(), vec![0xff, 0xfe, b'{', b'}']),
        mcp("POST", open_path.clone(), deep(100_000)),
        mcp("POST", open_path.clone(), deep_object(100_000)),
        mcp(
            "POST",
            open_path.clone(),
            stateless("tools/list", json!({"cursor": SQL[1]})),
        ),
        mcp(
            "POST",
            open_path.clone(),
            stateless("tools/call", json!({"name": SQL[0], "arguments": {}})),
        ),
        mcp(
            "POST",
            open_path.clone(),
            stateless(
                "tools/call",
                json!({"name": "create_a_chronosphere_team", "arguments": {"name": "x", "slug": "x"}}),
            ),
        ),
        mcp(
            "POST",
            open_path.clone(),
            stateless(
                "tools/call",
                json!({"name": "get_single_chronosphere_team_by_id", "arguments": {"slug": "../../../etc/passwd"}}),
            ),
        ),
        mcp(
            "POST",
            open_path.clone(),
            stateless(
                "tools/call",
                json!({"name": "list_all_chronosphere_teams", "arguments": {"limit": SQL[1]}}),
            ),
        ),
        mcp(
            "POST",
            open_path.clone(),
            stateless(&"x".repeat(100_000), json!({})),
        ),
        mcp("PUT", open_path.clone(), list.clone()),
        mcp("PATCH", open_path.clone(), list.clone()),
        mcp("DELETE", open_path.clone(), ""),
        mcp("GET", open_path.clone(), ""),
        mcp("OPTIONS", open_path.clone(), ""),
    ];
    for request in mcp_answered
        .iter_mut()
        .filter(|r| r.body.starts_with(b"{\"jsonrpc\""))
    {
        let method = serde_json::from_slice::<Value>(&request.body).unwrap()["method"]
            .as_str()
            .unwrap()
            .to_owned();
        request.headers.push(("mcp-method", method));
    }

    let send = async |request: &Hostile| -> (StatusCode, String) {
        let mut builder = Request::builder().method(request.method).uri(&request.path);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let (status, _, body) = hosting
            .send(builder.body(Body::from(request.body.clone())).unwrap())
            .await;
        (status, body)
    };
    let describe = |request: &Hostile| {
        let path: String = request.path.chars().take(120).collect();
        format!("{} {path} ({} bytes)", request.method, request.body.len())
    };
    for request in corpus.iter().chain(&mcp_refused) {
        let (status, body) = send(request).await;
        let body: String = body.chars().take(300).collect();
        assert!(
            status.is_client_error(),
            "{}: {status} {body}",
            describe(request)
        );
        assert!(
            !body.contains(TOKEN) && !body.contains(&api_token),
            "{}: {body}",
            describe(request)
        );
    }
    for request in &mcp_answered {
        let (status, body) = send(request).await;
        let body: String = body.chars().take(300).collect();
        assert!(
            !status.is_server_error(),
            "{}: {status} {body}",
            describe(request)
        );
    }

    // Raw bytes over TCP: what no HTTP library would send.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = hosting.app.clone();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let auth = format!("Authorization: Bearer {ADMIN_TOKEN}\r\n");
    let raw: Vec<Vec<u8>> = vec![
        b"DELETE /integrated-account/\xff\xfe HTTP/1.1\r\nHost: x\r\n".iter().copied().chain(auth.bytes()).chain(*b"\r\n").collect(),
        [format!("DELETE /integrated-account/{account} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ").as_bytes(), b"\xc3\x28", format!("{ADMIN_TOKEN}\r\n\r\n").as_bytes()].concat(),
        [b"DELETE /integrated-account/".as_slice(), account.as_bytes(), b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\n\r\n"].concat(),
        [format!("POST /integrated-account HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 4\r\n\r\n").as_bytes(), b"{\xff\xfe}"].concat(),
        format!("POST /integrated-account HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 99999999999999999999\r\n\r\n{{}}").into_bytes(),
        format!("POST /integrated-account HTTP/1.1\r\nHost: x\r\n{auth}Transfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n").into_bytes(),
        format!("POST /integrated-account HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 2\r\nContent-Length: 200\r\n\r\n{{}}").into_bytes(),
        format!("DELETE /integrated-account/{account} HTTP/1.1\r\nHost: x\r\n\r\n").into_bytes(),
        format!("DELETE /integrated-account/{account} HTTP/1.0\r\n\r\n").into_bytes(),
        format!("DELETE /integrated-account/{account}\r\n\r\n").into_bytes(),
        b"\x00\x01\x02\x03\xff\r\n\r\n".to_vec(),
        [format!("GET /mcp/{valid_token}").as_bytes(), b"\xff HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"].concat(),
        [format!("POST {open_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n").as_bytes(), b"\xff\xfe\xfd\xfc"].concat(),
        format!("DELETE /api-tokens/{token_id} HTTP/1.1\r\nHost: x\r\n{}\r\n", "X-Pad: y\r\n".repeat(10_000)).into_bytes(),
    ];
    for bytes in &raw {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let _ = stream.write_all(bytes).await;
        // Up to the end of the reply's head, or until the server closes or goes quiet.
        let mut reply = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            let mut chunk = [0u8; 4096];
            while !reply.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => reply.extend_from_slice(&chunk[..n]),
                }
            }
        })
        .await;
        let reply = String::from_utf8_lossy(&reply);
        let status_line = reply.lines().next().unwrap_or_default();
        assert!(
            !status_line.contains(" 2") && !status_line.contains(" 5"),
            "{:?}: {status_line}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(120)])
        );
    }

    assert_eq!(
        dump(&hosting).await,
        before,
        "a hostile request changed the database"
    );
    // And the deployment still works.
    let (status, reply) = hosting.mcp(&open_path, "tools/list", json!({}), None).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let (status, reply) = hosting
        .mcp(&guarded_path, "tools/list", json!({}), Some(&api_token))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    eprintln!(
        "{} hostile requests in-process, {} as raw bytes",
        corpus.len() + mcp_refused.len() + mcp_answered.len(),
        raw.len()
    );
}
