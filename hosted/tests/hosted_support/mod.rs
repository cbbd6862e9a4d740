//! Shared set-up for the hosted-mode tests: a fresh database (a temporary SQLite file, or with
//! `MCPGEN_TEST_STORE=postgres` a fresh PostgreSQL database), a manual clock, the real
//! Chronosphere integration, and helpers that drive the hosted router in-process (no socket)
//! with `tower::ServiceExt::oneshot`. Tests about the SQLite file itself use
//! [`Hosting::new_sqlite`].
#![allow(clippy::unwrap_used, dead_code)]

pub(crate) mod postgres;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use chrono::{DateTime, TimeDelta, Utc};
use fake_chronosphere::{FakeConfig, FakeHandle};
use http::{Request, StatusCode};
use mcpgen_hosted::clock::ManualClock;
use mcpgen_hosted::crypto::{Cipher, SecretKey};
use mcpgen_hosted::{
    AppState, Gateway, GatewayOptions, Hosted, HostedSettings, UpstreamSettings, app, store,
};
use mcpgen_runtime::Integration;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

pub(crate) const ADMIN_TOKEN: &str = "admin-token-for-tests-0123456789";
pub(crate) const PUBLIC_URL: &str = "http://127.0.0.1:8080";
/// The key and `--database` value each test directory's database was created with.
static KEYS: std::sync::Mutex<std::collections::BTreeMap<PathBuf, (SecretKey, String)>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// The variable that runs the hosted tests on PostgreSQL (`postgres`) instead of SQLite.
pub(crate) const STORE_VAR: &str = "MCPGEN_TEST_STORE";

/// Whether [`Hosting::new`] puts its database on PostgreSQL.
pub(crate) fn on_postgres() -> bool {
    std::env::var(STORE_VAR).is_ok_and(|engine| engine.trim() == "postgres")
}

/// A `--database` value for a new, empty database of the engine under test (`dir` holds a
/// SQLite file).
pub(crate) async fn fresh_database(dir: &TempDir) -> String {
    if on_postgres() {
        postgres::fresh_database().await
    } else {
        dir.path().join("mcpgen.db").to_str().unwrap().to_owned()
    }
}

pub(crate) static INTEGRATIONS: &[&Integration] = &[&mcpgen_chronosphere::INTEGRATION];

/// How many tools an unfiltered server lists: every Chronosphere tool.
#[allow(dead_code)]
pub(crate) const ALL_TOOLS: usize = mcpgen_chronosphere::INTEGRATION.tools.len();

/// How many tools the first `tools/list` page of an unfiltered server holds.
#[allow(dead_code)]
pub(crate) fn first_page_len() -> usize {
    let catalog = mcpgen_server::Catalog::new(&mcpgen_chronosphere::INTEGRATION).unwrap();
    catalog.page(None).unwrap().0.len()
}

/// A directory removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "mcpgen-hosted-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One hosted deployment over a database, with its own clock.
pub(crate) struct Hosting {
    /// The `--database` value: a SQLite path or a PostgreSQL URL.
    pub database: String,
    /// The SQLite file (for tests about the file; meaningless on PostgreSQL).
    pub db: PathBuf,
    pub key: SecretKey,
    pub clock: Arc<ManualClock>,
    pub hosted: Arc<Hosted>,
    pub gateway: Arc<Gateway>,
    pub app: Router,
    pub base_url: Option<String>,
}

pub(crate) fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

impl Hosting {
    /// A fresh deployment in `dir` on the engine under test; `base_url` overrides
    /// Chronosphere's upstream.
    pub(crate) async fn new(dir: &TempDir, base_url: Option<String>) -> Self {
        let database = fresh_database(dir).await;
        Self::create(dir, database, base_url).await
    }

    /// [`Hosting::new`] on a SQLite file whatever the engine under test: for tests about the
    /// file itself (bytes, mode, backups, the CLI on a copy).
    pub(crate) async fn new_sqlite(dir: &TempDir, base_url: Option<String>) -> Self {
        let database = dir.path().join("mcpgen.db").to_str().unwrap().to_owned();
        Self::create(dir, database, base_url).await
    }

    async fn create(dir: &TempDir, database: String, base_url: Option<String>) -> Self {
        let key = SecretKey::generate();
        KEYS.lock()
            .unwrap()
            .insert(dir.path().to_owned(), (key.clone(), database.clone()));
        Self::open(
            database,
            key,
            Arc::new(ManualClock::new(start_time())),
            base_url,
        )
        .await
    }

    /// A fresh process on `dir`'s database with the key of an earlier [`Hosting::new`] there
    /// (a restart after the first process is gone).
    pub(crate) async fn new_on(dir: &TempDir, base_url: Option<String>) -> Self {
        let (key, database) = KEYS.lock().unwrap().get(dir.path()).cloned().unwrap();
        Self::open(
            database,
            key,
            Arc::new(ManualClock::new(start_time())),
            base_url,
        )
        .await
    }

    /// Another process on the same database and key (a restart).
    pub(crate) async fn reopen(&self) -> Self {
        let clock = Arc::new(ManualClock::new(self.clock_now()));
        Self::open(
            self.database.clone(),
            self.key.clone(),
            clock,
            self.base_url.clone(),
        )
        .await
    }

    pub(crate) fn clock_now(&self) -> DateTime<Utc> {
        use mcpgen_hosted::clock::Clock;
        self.clock.now()
    }

    pub(crate) async fn open(
        database: String,
        key: SecretKey,
        clock: Arc<ManualClock>,
        base_url: Option<String>,
    ) -> Self {
        let mut upstream = UpstreamSettings::default();
        if let Some(url) = &base_url {
            upstream
                .base_urls
                .insert("chronosphere".to_owned(), url.clone());
        }
        Self::open_with(database, key, clock, base_url, upstream).await
    }

    /// [`Hosting::open`] with upstream settings of its own (host policy, overrides).
    pub(crate) async fn open_with(
        database: String,
        key: SecretKey,
        clock: Arc<ManualClock>,
        base_url: Option<String>,
        upstream: UpstreamSettings,
    ) -> Self {
        let store = store::open(&database).await.unwrap();
        let settings = HostedSettings {
            public_url: PUBLIC_URL.to_owned(),
            min_expiry: TimeDelta::seconds(60),
            upstream,
        };
        let hosted = Arc::new(
            Hosted::new(
                store,
                Some(Cipher::new(&key)),
                clock.clone(),
                INTEGRATIONS,
                settings,
            )
            .unwrap(),
        );
        hosted.verify_key().await.unwrap();
        let gateway = Arc::new(
            Gateway::new(
                hosted.clone(),
                GatewayOptions::default(),
                CancellationToken::new(),
            )
            .unwrap(),
        );
        let app = app(AppState::new(hosted.clone(), gateway.clone(), ADMIN_TOKEN));
        Self {
            db: PathBuf::from(&database),
            database,
            key,
            clock,
            hosted,
            gateway,
            app,
            base_url,
        }
    }

    /// Every row `sql` returns, each column as text (NULL as `NULL`), on either engine: what
    /// tests use to look at the database itself.
    pub(crate) async fn query(&self, sql: &str) -> Vec<Vec<String>> {
        if self.database.starts_with("postgres") {
            return postgres::query(&self.database, sql).await;
        }
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut statement = conn.prepare(sql).unwrap();
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        Ok(match row.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                            rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                            rusqlite::types::ValueRef::Real(x) => x.to_string(),
                            rusqlite::types::ValueRef::Text(t) => {
                                String::from_utf8_lossy(t).into_owned()
                            }
                            rusqlite::types::ValueRef::Blob(b) => format!("{b:02x?}"),
                        })
                    })
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// Sends `request` through the router.
    pub(crate) async fn send(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, http::HeaderMap, String) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .unwrap();
        (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
    }

    /// An admin call with the admin token; returns the status and the JSON body (null if none).
    pub(crate) async fn admin(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {ADMIN_TOKEN}"));
        let body = match body {
            Some(body) => {
                request = request.header("content-type", "application/json");
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        let (status, _, text) = self.send(request.body(body).unwrap()).await;
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, value)
    }

    /// Creates a Chronosphere account; returns its id.
    pub(crate) async fn account(&self, tenant: &str, api_token: &str) -> String {
        let body = json!({"integration": "chronosphere", "credentials": {"tenant": tenant, "api_token": api_token}});
        let (status, reply) = self.admin("POST", "/integrated-account", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        reply["id"].as_str().unwrap().to_owned()
    }

    /// Creates an MCP server; returns the reply (with `url`).
    pub(crate) async fn server(&self, account: &str, body: Value) -> Value {
        let (status, reply) = self
            .admin(
                "POST",
                &format!("/integrated-account/{account}/mcp"),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        reply
    }

    /// A 2026-07-28 (stateless) MCP request to `url`'s path; returns status and the body as JSON
    /// (the JSON-RPC message, or the hosted error object).
    pub(crate) async fn mcp(
        &self,
        url: &str,
        method: &str,
        params: Value,
        bearer: Option<&str>,
    ) -> (StatusCode, Value) {
        let path = url.strip_prefix(PUBLIC_URL).unwrap_or(url);
        let mut params = params;
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "hosted-test", "version": "0"}
        });
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let mut request = Request::post(path)
            .header("host", "127.0.0.1:8080")
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", method);
        if let Some(name) = body["params"]["name"].as_str() {
            request = request.header("mcp-name", name);
        }
        if let Some(token) = bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let (status, _, text) = self
            .send(request.body(Body::from(body.to_string())).unwrap())
            .await;
        (status, message(&text))
    }

    /// The tool names `url` lists, following `nextCursor` through every page.
    pub(crate) async fn tool_names(&self, url: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut params = json!({});
        loop {
            let (status, reply) = self.mcp(url, "tools/list", params, None).await;
            assert_eq!(status, StatusCode::OK, "{reply}");
            names.extend(
                reply["result"]["tools"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t["name"].as_str().unwrap().to_owned()),
            );
            match reply["result"]["nextCursor"].as_str() {
                Some(cursor) => params = json!({ "cursor": cursor }),
                None => return names,
            }
        }
    }
}

/// The JSON in a reply body, whether plain JSON or one SSE event.
pub(crate) fn message(text: &str) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    if let Ok(value) = serde_json::from_str(text) {
        return value;
    }
    text.lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(str::trim)
        .find_map(|data| serde_json::from_str(data).ok())
        .unwrap_or_else(|| panic!("no JSON in {text:?}"))
}

/// A running fake Chronosphere that accepts `api_token` and records requests.
pub(crate) async fn fake(api_token: &str) -> FakeHandle {
    let mut config = FakeConfig::new(api_token);
    config.record_requests = true;
    config.seed_teams = 3;
    let (_, handle) = fake_chronosphere::spawn(config).await.unwrap();
    handle
}

/// A 2025-11-25 session on `url`: the session id after `initialize` + `notifications/initialized`.
pub(crate) async fn legacy_session(hosting: &Hosting, url: &str) -> String {
    let path = url.strip_prefix(PUBLIC_URL).unwrap();
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "hosted-test", "version": "0"}}});
    let (status, headers, text) = hosting.send(legacy_post(path, None, &initialize)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        message(&text)["result"]["protocolVersion"],
        "2025-11-25",
        "{text}"
    );
    let session = headers
        .get("mcp-session-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let (status, _, text) = hosting
        .send(legacy_post(path, Some(&session), &initialized))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{text}");
    session
}

/// A POST of `body` in a 2025-11-25 session (or opening one when `session` is `None`).
pub(crate) fn legacy_post(path: &str, session: Option<&str>, body: &Value) -> Request<Body> {
    let mut request = Request::post(path)
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream");
    if let Some(session) = session {
        request = request
            .header("mcp-session-id", session)
            .header("mcp-protocol-version", "2025-11-25");
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// The real `mcp-server` binary (`generated/mcp-server`), built first so it has this tree's
/// code: `cargo test -p mcpgen-hosted` alone does not rebuild another package's binary.
/// `MCPGEN_BIN_DIR` (set by `tests/run-all.sh` after its build) skips the build.
pub(crate) fn mcp_server_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(dir) = std::env::var_os("MCPGEN_BIN_DIR") {
            let bin = PathBuf::from(dir).join("mcp-server");
            assert!(bin.is_file(), "MCPGEN_BIN_DIR has no mcp-server");
            return bin;
        }
        // This test runs from <target>/debug/deps/.
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().unwrap().parent().unwrap().to_owned();
        let target_dir = profile_dir.parent().unwrap();
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "mcp-server",
                "--bin",
                "mcp-server",
            ])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(workspace)
            .status()
            .unwrap();
        assert!(status.success(), "building mcp-server failed");
        profile_dir.join("mcp-server")
    })
    .clone()
}

/// A `mcp-server` command with a clean hosted environment (no inherited secrets or database).
pub(crate) fn mcp_server(args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(mcp_server_bin());
    command.args(args);
    for var in [
        "MCP_ADMIN_TOKEN",
        "MCP_SECRET_KEY",
        "MCP_NEW_SECRET_KEY",
        "MCP_DATABASE",
        "MCP_PUBLIC_URL",
        "MCP_MIN_EXPIRY_SECS",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    command
}

/// A `serve` process, killed on drop.
pub(crate) struct Served {
    pub child: std::process::Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl Served {
    /// Starts `mcp-server serve` on `db` with `key` on a free port and waits for it to listen.
    pub(crate) fn start(db: &Path, key: &SecretKey, extra: &[&str]) -> Self {
        use std::io::BufRead;
        let mut command = mcp_server(&["serve", "--listen", "127.0.0.1:0", "--database"]);
        command
            .arg(db)
            .args(extra)
            .env("MCP_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("MCP_SECRET_KEY", key.to_hex())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = std::io::BufReader::new(stderr).lines();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(addr) = line.strip_prefix("listening on ") {
                        break addr.trim().to_owned();
                    }
                }
                other => {
                    let _ = child.kill();
                    panic!("serve ended before listening: {other:?}");
                }
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self { child, base }
    }

    /// Stops it with SIGTERM (a graceful shutdown) and waits.
    pub(crate) fn stop(mut self) {
        #[cfg(unix)]
        {
            let _ = std::process::Command::new("kill")
                .arg("-TERM")
                .arg(self.child.id().to_string())
                .status();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A 2026-07-28 stateless MCP request over HTTP to a full URL; returns the status and JSON.
pub(crate) async fn http_mcp(
    client: &reqwest::Client,
    url: &str,
    method: &str,
    params: Value,
) -> (u16, Value) {
    let mut params = params;
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "hosted-test", "version": "0"}
    });
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", method);
    if let Some(name) = body["params"]["name"].as_str() {
        request = request.header("mcp-name", name);
    }
    let response = request.body(body.to_string()).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, message(&text))
}

/// An admin API call over HTTP; returns the status and JSON (null when empty).
pub(crate) async fn http_admin(
    client: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client
        .request(method, format!("{base}{path}"))
        .header("authorization", format!("Bearer {ADMIN_TOKEN}"));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    (status, value)
}

/// What a `tracing` subscriber writes, kept for a test to read back (`.with_writer(move ||
/// captured.clone())`).
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
