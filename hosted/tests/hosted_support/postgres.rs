//! PostgreSQL for the tests: a fresh, empty database per call to [`fresh_database`].
//!
//! With `MCPGEN_TEST_POSTGRES` set to a superuser URL (what `tests/run-all.sh` exports after
//! starting one cluster for the whole run), databases are created there. Without it, the first
//! call starts a private throwaway cluster with `tests/postgres/cluster.sh` and a watchdog that
//! stops and removes it once this test process has exited. A machine without PostgreSQL's
//! server binaries fails these tests with the script's message rather than skipping them.
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The environment variable naming a running cluster's superuser URL.
pub(crate) const URL_VAR: &str = "MCPGEN_TEST_POSTGRES";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The superuser URL of the cluster this process uses (ending in `/postgres`).
pub(crate) fn cluster_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url.trim().to_owned(),
        _ => start_private_cluster(),
    })
}

fn start_private_cluster() -> String {
    let script = repo_root().join("tests/postgres/cluster.sh");
    let dir = std::env::temp_dir().join(format!("mcpgen-pg-{}", std::process::id()));
    let output = Command::new(&script)
        .arg("start")
        .arg(&dir)
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", script.display()));
    assert!(
        output.status.success(),
        "could not start a throwaway PostgreSQL cluster (see above); install PostgreSQL's server \
         (Debian: apt-get install postgresql) or set {URL_VAR} to a superuser URL"
    );
    // Stops the cluster once this process is gone, however it ends.
    let watchdog = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; exec {script} stop {dir}",
        pid = std::process::id(),
        script = script.display(),
        dir = dir.display(),
    );
    // `setsid -f` forks and returns at once: the watchdog is not this process's child to reap.
    let status = Command::new("setsid")
        .args(["-f", "sh", "-c", &watchdog])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "cannot start the cluster's watchdog");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The URL of a new, empty database on the cluster.
pub(crate) async fn fresh_database() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let cluster = cluster_url();
    let name = format!(
        "mcpgen_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let (client, connection) = tokio_postgres::connect(cluster, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|error| panic!("cannot reach the test cluster at {cluster}: {error}"));
    let connection = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    drop(client);
    let _ = connection.await;
    let base = cluster.rsplit_once('/').unwrap().0;
    format!("{base}/{name}")
}

/// Every row `sql` returns on the database at `url`, each column as text (NULL as `NULL`).
pub(crate) async fn query(url: &str, sql: &str) -> Vec<Vec<String>> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let connection = tokio::spawn(connection);
    let rows = client
        .simple_query(sql)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .into_iter()
        .filter_map(|message| match message {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or("NULL").to_owned())
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    drop(client);
    let _ = connection.await;
    rows
}
