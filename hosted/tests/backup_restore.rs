//! `mcp-server backup` while `serve` writes, and `mcp-server restore`: the backup is one
//! consistent snapshot that passes `PRAGMA integrity_check`, and a server started on it (or on
//! a database restored from it) serves the same `/mcp/<token>` URLs.
#![allow(clippy::unwrap_used)]
#![cfg(unix)]

mod hosted_support;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use hosted_support::{Served, TempDir, fake, http_admin, http_mcp, mcp_server};
use mcpgen_hosted::crypto::SecretKey;
use serde_json::{Value, json};

const TOKEN: &str = "upstream-token-for-backups";

/// A server's id and the path of its URL (`/mcp/<token>`), which any port serves.
type Url = (String, String);

fn url_of(server: &Value) -> Url {
    let url = server["url"].as_str().unwrap();
    let path = &url[url.find("/mcp/").unwrap()..];
    (server["id"].as_str().unwrap().to_owned(), path.to_owned())
}

fn query_strings(db: &Path, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut statement = conn.prepare(sql).unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Lists tools through each URL on `base`; returns how many answered 200 with tools (the rest
/// must be 404).
async fn working(client: &reqwest::Client, base: &str, urls: &[Url]) -> Vec<bool> {
    let mut results = Vec::new();
    for (id, path) in urls {
        let (status, reply) =
            http_mcp(client, &format!("{base}{path}"), "tools/list", json!({})).await;
        match status {
            200 => {
                assert!(
                    !reply["result"]["tools"].as_array().unwrap().is_empty(),
                    "{id}: {reply}"
                );
                results.push(true);
            }
            404 => results.push(false),
            other => panic!("{id}: {other} {reply}"),
        }
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_writes_serves_the_same_urls() {
    let upstream = fake(TOKEN).await;
    let dir = TempDir::new();
    let key = SecretKey::generate();
    let live = dir.path().join("live.db");
    let base_url = format!("chronosphere={}", upstream.url());
    let served = Served::start(&live, &key, &["--base-url", &base_url]);
    let client = reqwest::Client::new();
    let base = served.base.clone();

    let body = json!({"integration": "chronosphere", "credentials": {"tenant": "acme", "api_token": TOKEN}});
    let (status, account) =
        http_admin(&client, &base, "POST", "/integrated-account", Some(body)).await;
    assert_eq!(status, 201, "{account}");
    let account = account["id"].as_str().unwrap().to_owned();
    let servers = format!("/integrated-account/{account}/mcp");
    let mut before = Vec::new();
    for i in 0..20 {
        let (status, server) = http_admin(
            &client,
            &base,
            "POST",
            &servers,
            Some(json!({"name": format!("before {i}")})),
        )
        .await;
        assert_eq!(status, 201, "{server}");
        before.push(url_of(&server));
    }

    // One writer creating servers (and patching and issuing tokens) as fast as it can, in
    // order, during the backup.
    let stop = Arc::new(AtomicBool::new(false));
    let during: Arc<Mutex<Vec<Url>>> = Arc::default();
    let writer = tokio::spawn({
        let (client, base, servers, stop, during) = (
            client.clone(),
            base.clone(),
            servers.clone(),
            stop.clone(),
            during.clone(),
        );
        let first = before[0].0.clone();
        async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let (status, server) = http_admin(
                    &client,
                    &base,
                    "POST",
                    &servers,
                    Some(json!({"name": format!("during {i}")})),
                )
                .await;
                assert_eq!(status, 201, "{server}");
                during.lock().unwrap().push(url_of(&server));
                let patch = json!({"config": {"tags": if i % 2 == 0 { json!(["teams"]) } else { json!([]) }}});
                let (status, reply) = http_admin(
                    &client,
                    &base,
                    "PATCH",
                    &format!("{servers}/{first}"),
                    Some(patch),
                )
                .await;
                assert_eq!(status, 200, "{reply}");
                let (status, _) = http_admin(&client, &base, "POST", "/api-tokens", None).await;
                assert_eq!(status, 201);
                i += 1;
            }
        }
    });
    while during.lock().unwrap().len() < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let backup = dir.path().join("backup.db");
    let output = {
        let mut command = mcp_server(&["backup", "--database"]);
        command.arg(&live).arg("--output").arg(&backup);
        tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap()
    };
    let written_at_end = during.lock().unwrap().len();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    eprintln!("backup report: {report}");
    let during = during.lock().unwrap().clone();
    assert!(
        during.len() > written_at_end,
        "the writer stopped before the backup ended"
    );

    // A single self-contained file that passes the integrity check.
    let conn = rusqlite::Connection::open(&backup).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(journal, "delete");
    let dangling: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);
    drop(conn);
    assert_eq!(report["bytes"], std::fs::metadata(&backup).unwrap().len());
    assert_eq!(
        report["servers"].as_u64().unwrap() as usize,
        query_strings(&backup, "SELECT id FROM mcp_servers").len()
    );

    // One snapshot: the servers the writer made are a prefix of its sequence, and the audit log
    // holds exactly the creations whose rows are there.
    let in_backup = query_strings(&backup, "SELECT id FROM mcp_servers ORDER BY id");
    let audited = query_strings(
        &backup,
        "SELECT target_id FROM audit_log WHERE action = 'server.create' ORDER BY target_id",
    );
    assert_eq!(in_backup, audited, "rows and their audit entries disagree");
    let kept: Vec<bool> = during
        .iter()
        .map(|(id, _)| in_backup.contains(id))
        .collect();
    let prefix = kept.iter().take_while(|kept| **kept).count();
    assert!(
        kept[prefix..].iter().all(|kept| !kept),
        "not a snapshot: {kept:?}"
    );
    assert!(
        prefix >= 5,
        "the servers made before the backup started are missing"
    );
    assert!(prefix < during.len(), "no write landed after the snapshot");
    let pristine = dir.path().join("pristine.db");
    std::fs::copy(&backup, &pristine).unwrap();

    // A server on the backup file serves the same URLs: every one made before the backup, the
    // prefix made during it, and none of the later ones.
    let on_backup = Served::start(&backup, &key, &["--base-url", &base_url]);
    assert!(
        working(&client, &on_backup.base, &before)
            .await
            .iter()
            .all(|ok| *ok)
    );
    let expected: Vec<bool> = (0..during.len()).map(|i| i < prefix).collect();
    assert_eq!(working(&client, &on_backup.base, &during).await, expected);
    on_backup.stop();

    // Restore over the live database, stopped with SIGKILL so its write-ahead log still holds
    // the later writes: the restored database serves exactly the backup's URLs.
    drop(served);
    let wal = live.with_extension("db-wal");
    assert!(
        std::fs::metadata(&wal).is_ok_and(|meta| meta.len() > 0),
        "no WAL left to trip on"
    );
    let output = mcp_server(&["restore", "--backup"])
        .arg(&pristine)
        .arg("--database")
        .arg(&live)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored = Served::start(&live, &key, &["--base-url", &base_url]);
    assert!(
        working(&client, &restored.base, &before)
            .await
            .iter()
            .all(|ok| *ok)
    );
    assert_eq!(working(&client, &restored.base, &during).await, expected);
    restored.stop();
    let conn = rusqlite::Connection::open(&live).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

/// Mistakes are refused before anything is written: an existing output, a missing source, a
/// file that is not an mcpgen database, a backup of a newer schema.
#[tokio::test]
async fn backup_and_restore_refuse_mistakes() {
    let dir = TempDir::new();
    let hosting = hosted_support::Hosting::new_sqlite(&dir, None).await;
    let db = hosting.db.clone();
    drop(hosting);
    let taken = dir.path().join("taken.db");
    std::fs::write(&taken, b"precious").unwrap();
    let run = |args: &[&Path]| {
        let (first, rest) = args.split_first().unwrap();
        let mut command = mcp_server(&[first.to_str().unwrap()]);
        command.args(rest);
        command.output().unwrap()
    };
    let flag = |text: &'static str| Path::new(text);

    let output = run(&[
        flag("backup"),
        flag("--database"),
        &db,
        flag("--output"),
        &taken,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&taken).unwrap(), b"precious");

    let missing = dir.path().join("missing.db");
    let output = run(&[
        flag("backup"),
        flag("--database"),
        &missing,
        flag("--output"),
        &dir.path().join("out.db"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!missing.exists(), "a missing source was created");

    let output = run(&[
        flag("restore"),
        flag("--backup"),
        &taken,
        flag("--database"),
        &db,
    ]);
    assert_ne!(output.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not an mcpgen hosted database")
            || String::from_utf8_lossy(&output.stderr).contains("not a database"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let newer = dir.path().join("newer.db");
    let output = run(&[
        flag("backup"),
        flag("--database"),
        &db,
        flag("--output"),
        &newer,
    ]);
    assert!(output.status.success());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (999, 0)",
            [],
        )
        .unwrap();
    let output = run(&[
        flag("restore"),
        flag("--backup"),
        &newer,
        flag("--database"),
        &db,
    ]);
    assert_ne!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("newer than this binary"));
    let versions = query_strings(&db, "SELECT CAST(version AS TEXT) FROM schema_version");
    assert!(
        !versions.contains(&"999".to_owned()),
        "the refused restore wrote"
    );
}
