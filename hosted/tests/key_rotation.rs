//! `mcp-server keys rotate`: every credential and the key marker re-sealed under the new key in
//! one transaction, whatever happens to the process; the old key refused afterwards; the
//! refusals before anything is touched.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use hosted_support::{Hosting, Served, TempDir, fake, http_admin, http_mcp, mcp_server};
use http::StatusCode;
use mcpgen_hosted::crypto::{Cipher, SecretKey, new_id};
use serde_json::{Value, json};

const TOKEN: &str = "upstream-token-for-rotation";
/// The associated data the key-check marker is sealed with (`hosted/src/core.rs`).
const KEY_CHECK_AAD: &[u8] = b"settings.key_check";

fn rotate(db: &Path, old: &str, new: Option<&str>) -> Command {
    let mut command = mcp_server(&["keys", "rotate", "--database"]);
    command.arg(db).env("MCP_SECRET_KEY", old);
    if let Some(new) = new {
        command.env("MCP_NEW_SECRET_KEY", new);
    }
    command
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Which key the whole database is sealed under, after checking that every credential opens
/// under exactly one of the two keys, the same one as the marker, to the expected plaintext,
/// and that no account is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SealedUnder {
    Old,
    New,
}

fn sealed_under(
    db: &Path,
    old: &SecretKey,
    new: &SecretKey,
    expected: &BTreeMap<String, Vec<u8>>,
) -> SealedUnder {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let (old, new) = (Cipher::new(old), Cipher::new(new));
    let which = |blob: &[u8], aad: &[u8]| -> (SealedUnder, Vec<u8>) {
        match (old.open(blob, aad), new.open(blob, aad)) {
            (Ok(plain), Err(_)) => (SealedUnder::Old, plain),
            (Err(_), Ok(plain)) => (SealedUnder::New, plain),
            (a, b) => panic!("opens under old: {}, new: {}", a.is_ok(), b.is_ok()),
        }
    };
    let marker: Vec<u8> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'key_check'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let (key, _) = which(&marker, KEY_CHECK_AAD);
    let mut statement = conn
        .prepare("SELECT id, credentials FROM integrated_accounts ORDER BY id")
        .unwrap();
    let rows: Vec<(String, Vec<u8>)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), expected.len(), "accounts lost or added");
    for (id, blob) in rows {
        let (under, plain) = which(&blob, id.as_bytes());
        assert_eq!(
            under, key,
            "account {id} is not under the marker's key: mixed"
        );
        assert_eq!(Some(&plain), expected.get(&id), "account {id} changed");
    }
    key
}

/// A database with `count` accounts sealed under a fresh key, written in one transaction.
async fn populate(
    dir: &TempDir,
    count: usize,
) -> (std::path::PathBuf, SecretKey, BTreeMap<String, Vec<u8>>) {
    let hosting = Hosting::new_sqlite(dir, None).await;
    let (db, key) = (hosting.db.clone(), hosting.key.clone());
    let now = hosting.clock_now();
    drop(hosting);
    let cipher = Cipher::new(&key);
    let mut conn = rusqlite::Connection::open(&db).unwrap();
    let tx = conn.transaction().unwrap();
    let mut expected = BTreeMap::new();
    for i in 0..count {
        let id = new_id("acct", now);
        let plain = serde_json::to_vec(
            &json!({"api_token": format!("secret-{i}-{}", "x".repeat(40)), "tenant": format!("t{i}")}),
        )
        .unwrap();
        let sealed = cipher.seal(&plain, id.as_bytes()).unwrap();
        tx.execute(
            "INSERT INTO integrated_accounts (id, integration, credentials, created_at) VALUES (?1, 'chronosphere', ?2, 0)",
            rusqlite::params![id, sealed],
        )
        .unwrap();
        expected.insert(id, plain);
    }
    tx.commit().unwrap();
    let _: (i64, i64, i64) = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    (db, key, expected)
}

/// SIGKILL at many points of a rotation of thousands of accounts: each time, every credential
/// opens under exactly one key, all under the old or all under the new, none lost, and the
/// marker agrees.
#[cfg(unix)]
#[tokio::test]
async fn sigkill_during_rotation_leaves_all_old_or_all_new() {
    const ACCOUNTS: usize = 4000;
    let dir = TempDir::new();
    let (template, old, expected) = populate(&dir, ACCOUNTS).await;
    let new = SecretKey::generate();
    let fresh_copy = |name: &str| {
        let path = dir.path().join(name);
        std::fs::copy(&template, &path).unwrap();
        path
    };

    // An uninterrupted run: how long the transaction lasts, from the line it prints once it
    // holds the write lock until the process exits.
    let db = fresh_copy("full.db");
    let started = Instant::now();
    let output = rotate(&db, &old.to_hex(), Some(&new.to_hex()))
        .output()
        .unwrap();
    let total = started.elapsed();
    assert!(output.status.success(), "{}", text(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["rotated_accounts"], ACCOUNTS, "{}", text(&output));
    let in_transaction = Duration::from_millis(report["elapsed_ms"].as_u64().unwrap());
    eprintln!("rotating {ACCOUNTS} accounts: {in_transaction:?} in the command, {total:?} in all");
    assert_eq!(sealed_under(&db, &old, &new, &expected), SealedUnder::New);

    // Kill at fractions of the transaction's length after it began (and once before it began).
    let mut outcomes = Vec::new();
    let fractions = [
        0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.5, 3.0,
    ];
    for (round, fraction) in std::iter::once(None).chain(fractions.map(Some)).enumerate() {
        let db = fresh_copy(&format!("kill-{round}.db"));
        let mut child = rotate(&db, &old.to_hex(), Some(&new.to_hex()))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let mut began = false;
        if let Some(fraction) = fraction {
            for line in lines.by_ref() {
                if line.unwrap().contains("write transaction open") {
                    began = true;
                    break;
                }
            }
            assert!(began, "the rotation never said it began");
            std::thread::sleep(in_transaction.mul_f64(fraction));
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        std::thread::spawn(move || for _ in lines {});
        let under = sealed_under(&db, &old, &new, &expected);
        outcomes.push((fraction, status.code(), under));
        // Whatever the outcome, the database works with the key it is sealed under.
        let key = if under == SealedUnder::Old {
            &old
        } else {
            &new
        };
        let again = rotate(&db, &key.to_hex(), Some(&SecretKey::generate().to_hex()))
            .output()
            .unwrap();
        assert!(again.status.success(), "{}", text(&again));
    }
    eprintln!("kill outcomes (fraction, exit code, sealed under): {outcomes:?}");
    assert!(
        outcomes
            .iter()
            .any(|(fraction, code, under)| fraction.is_some()
                && code.is_none()
                && *under == SealedUnder::Old),
        "no kill landed inside the transaction, so this test proved nothing: {outcomes:?}"
    );
}

/// After a rotation the old key is refused by `serve`, by the CLI and by another rotation;
/// `serve` with the new key opens the credentials (a tool call reaches the upstream with them)
/// and the rotation is in the audit log.
#[cfg(unix)]
#[tokio::test]
async fn after_rotation_the_old_key_is_refused_and_the_new_one_works() {
    let upstream = fake(TOKEN).await;
    let dir = TempDir::new();
    let hosting = Hosting::new_sqlite(&dir, Some(upstream.url())).await;
    let account = hosting.account("acme", TOKEN).await;
    let server = hosting.server(&account, json!({"name": "s"})).await;
    let url_path = server["url"]
        .as_str()
        .unwrap()
        .strip_prefix(hosted_support::PUBLIC_URL)
        .unwrap()
        .to_owned();
    let (db, old) = (hosting.db.clone(), hosting.key.clone());
    drop(hosting);
    let new = SecretKey::generate();

    let output = rotate(&db, &old.to_hex(), Some(&new.to_hex()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Restart every `mcp-server serve`"),
        "{stderr}"
    );

    // serve with the old key: refused before listening, exit code 2, saying why.
    let base_url = format!("chronosphere={}", upstream.url());
    let output = mcp_server(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--base-url",
        &base_url,
        "--database",
    ])
    .arg(&db)
    .env("MCP_ADMIN_TOKEN", hosted_support::ADMIN_TOKEN)
    .env("MCP_SECRET_KEY", old.to_hex())
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("MCP_SECRET_KEY is not this database's key"),
        "{}",
        text(&output)
    );
    // The CLI with the old key: refused too.
    let output = mcp_server(&[
        "accounts",
        "add",
        "--integration",
        "chronosphere",
        "--credential",
        "tenant=t",
        "--database",
    ])
    .arg(&db)
    .env("MCP_SECRET_KEY", old.to_hex())
    .env("CHRONOSPHERE_API_TOKEN", TOKEN)
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not this database's key"),
        "{}",
        text(&output)
    );
    let output = rotate(&db, &old.to_hex(), Some(&SecretKey::generate().to_hex()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));

    // serve with the new key: the stored credentials open and reach the upstream.
    let served = Served::start(&db, &new, &["--base-url", &base_url]);
    let client = reqwest::Client::new();
    let url = format!("{}{url_path}", served.base);
    let (status, reply) = http_mcp(
        &client,
        &url,
        "tools/call",
        json!({"name": "list_all_chronosphere_teams", "arguments": {}}),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert_ne!(reply["result"]["isError"], true, "{reply}");
    let (status, log) = http_admin(&client, &served.base, "GET", "/audit-log", None).await;
    assert_eq!(status, 200, "{log}");
    let last = log["result"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "key.rotate", "{log}");
    assert_eq!(last["actor"], "cli", "{log}");
    assert_eq!(
        last["target"],
        json!({"kind": "database", "id": null}),
        "{log}"
    );
    assert_eq!(last["detail"], json!({"accounts": 1}), "{log}");
    served.stop();
}

/// Refusals change nothing: a wrong current key, a malformed, missing or unchanged new key.
#[tokio::test]
async fn rotation_refuses_bad_keys_and_changes_nothing() {
    let dir = TempDir::new();
    let hosting = Hosting::new_sqlite(&dir, None).await;
    hosting.account("acme", TOKEN).await;
    let (db, key) = (hosting.db.clone(), hosting.key.clone());
    drop(hosting);
    let dump = || {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let marker: Vec<u8> = conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'key_check'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        let credentials: Vec<u8> = conn
            .query_row("SELECT credentials FROM integrated_accounts", [], |row| {
                row.get(0)
            })
            .unwrap();
        (marker, credentials)
    };
    let before = dump();
    let other = SecretKey::generate().to_hex();
    let cases: [(String, Option<String>, &str); 5] = [
        (
            other.clone(),
            Some(SecretKey::generate().to_hex()),
            "MCP_SECRET_KEY is not this database's key",
        ),
        (
            key.to_hex(),
            Some("abc".into()),
            "MCP_NEW_SECRET_KEY must be 64 hexadecimal characters",
        ),
        (
            key.to_hex(),
            Some(format!("{}zz", &other[..62])),
            "MCP_NEW_SECRET_KEY must be hexadecimal",
        ),
        (key.to_hex(), None, "MCP_NEW_SECRET_KEY is not set"),
        (
            key.to_hex(),
            Some(key.to_hex().to_uppercase()),
            "the same as MCP_SECRET_KEY",
        ),
    ];
    for (current, new, message) in cases {
        let output = rotate(&db, &current, new.as_deref()).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(message),
            "wanted {message:?}: {}",
            text(&output)
        );
        assert!(
            !stderr.contains(&current)
                && new
                    .as_ref()
                    .is_none_or(|new| !stderr.contains(new.as_str())),
            "a key was printed"
        );
        assert_eq!(dump(), before, "a refused rotation changed the database");
    }
    let missing = dir.path().join("missing.db");
    let output = rotate(
        &missing,
        &key.to_hex(),
        Some(&SecretKey::generate().to_hex()),
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        !missing.exists(),
        "a mistyped --database became a new database"
    );
}

/// A server started before a rotation still holds the old key: it must not store a new account
/// under it (the account would be lost at the restart with the new key).
#[tokio::test]
async fn a_server_started_before_rotation_cannot_seal_under_the_old_key() {
    let dir = TempDir::new();
    let hosting = Hosting::new_sqlite(&dir, None).await;
    hosting.account("acme", TOKEN).await;
    let new = SecretKey::generate();
    let output = rotate(&hosting.db, &hosting.key.to_hex(), Some(&new.to_hex()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));

    let body = json!({"integration": "chronosphere", "credentials": {"tenant": "late", "api_token": TOKEN}});
    let (status, reply) = hosting
        .admin("POST", "/integrated-account", Some(body))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{reply}");
    assert_eq!(reply["error"], "key_rotated", "{reply}");
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .contains("restart it with the new key"),
        "{reply}"
    );
    let conn = rusqlite::Connection::open(&hosting.db).unwrap();
    let count: i64 = conn
        .query_row("SELECT COUNT(*) FROM integrated_accounts", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(count, 1, "an account was sealed under the retired key");
}

/// A rotation while `serve` (started with the old key) keeps creating accounts: creations
/// before the commit are re-sealed with the rest, those after it are refused (503, nothing
/// stored); after the restart with the new key every stored account opens under it, and every
/// accepted one is there.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_while_serving_loses_no_account_and_seals_none_under_the_old_key() {
    let dir = TempDir::new();
    let (db, old, mut expected) = populate(&dir, 2000).await;
    let new = SecretKey::generate();
    let served = Served::start(&db, &old, &[]);
    let client = reqwest::Client::new();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = tokio::spawn({
        let (client, base, stop) = (client.clone(), served.base.clone(), stop.clone());
        async move {
            let mut outcomes = Vec::new();
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let credentials = BTreeMap::from([
                    ("api_token".to_owned(), format!("during-{i}")),
                    ("tenant".to_owned(), format!("during{i}")),
                ]);
                let body = json!({"integration": "chronosphere", "credentials": credentials});
                let (status, reply) =
                    http_admin(&client, &base, "POST", "/integrated-account", Some(body)).await;
                outcomes.push((status, reply["id"].as_str().map(str::to_owned), credentials));
                i += 1;
            }
            outcomes
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let output = {
        let mut command = rotate(&db, &old.to_hex(), Some(&new.to_hex()));
        tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap()
    };
    assert!(output.status.success(), "{}", text(&output));
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let outcomes = writer.await.unwrap();
    served.stop();

    let accepted: Vec<_> = outcomes
        .iter()
        .filter(|(status, ..)| *status == 201)
        .collect();
    let refused = outcomes
        .iter()
        .filter(|(status, ..)| *status == 503)
        .count();
    assert_eq!(
        accepted.len() + refused,
        outcomes.len(),
        "other statuses: {outcomes:?}"
    );
    assert!(
        !accepted.is_empty() && refused > 0,
        "the writes did not straddle the rotation"
    );
    eprintln!(
        "{} accounts accepted, {refused} refused after the rotation",
        accepted.len()
    );
    for (_, id, credentials) in &accepted {
        expected.insert(
            id.clone().unwrap(),
            serde_json::to_vec(credentials).unwrap(),
        );
    }
    assert_eq!(sealed_under(&db, &old, &new, &expected), SealedUnder::New);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["rotated_accounts"].as_u64().unwrap() > 2000,
        "{report}"
    );
}

/// A credential that does not open (a corrupted row) stops the rotation before it commits:
/// exit 1, the account named, every row as it was.
#[tokio::test]
async fn a_corrupted_credential_aborts_the_whole_rotation() {
    let dir = TempDir::new();
    let (db, old, expected) = populate(&dir, 50).await;
    let victim = expected.keys().nth(30).unwrap().clone();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE integrated_accounts SET credentials = CAST(credentials || x'00' AS BLOB) WHERE id = ?1",
        [&victim],
    )
    .unwrap();
    drop(conn);
    let rows = |db: &Path| -> Vec<(String, Vec<u8>)> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut statement = conn
            .prepare("SELECT key, value FROM settings UNION ALL SELECT id, credentials FROM integrated_accounts ORDER BY 1")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = rows(&db);
    let output = rotate(&db, &old.to_hex(), Some(&SecretKey::generate().to_hex()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nothing was changed") && stderr.contains(&victim),
        "{}",
        text(&output)
    );
    assert_eq!(rows(&db), before, "a failed rotation changed rows");
}
