//! Versioned SQL migrations for the SQLite store.
//!
//! Migrations live in `hosted/migrations/NNNN_name.sql`, are compiled in, and are applied in
//! order inside one immediate transaction; each applied version is recorded in
//! `schema_version`. A database newer than this binary is refused rather than guessed at.

use chrono::Utc;
use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Every migration, by version, in order.
pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_initial.sql")),
    (2, include_str!("../../migrations/0002_audit_log.sql")),
    (3, include_str!("../../migrations/0003_sessions.sql")),
];

/// Brings the database to the latest schema version; returns the versions it applied.
pub(super) fn migrate(conn: &mut Connection) -> Result<Vec<i64>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        ) STRICT;",
    )?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |row| row.get(0),
    )?;
    let mut applied = Vec::new();
    for (version, sql) in pending(MIGRATIONS, current)? {
        tx.execute_batch(sql)
            .map_err(|error| StoreError::Backend(format!("migration {version} failed: {error}")))?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
            (version, Utc::now().timestamp_millis()),
        )?;
        applied.push(*version);
    }
    tx.commit()?;
    Ok(applied)
}

/// The migrations of `migrations` after version `current`, in order; a database newer than the
/// last of them is refused rather than guessed at. Both engines' migrators start here.
pub(super) fn pending(
    migrations: &'static [(i64, &'static str)],
    current: i64,
) -> Result<impl Iterator<Item = &'static (i64, &'static str)>, StoreError> {
    let latest = migrations.last().map_or(0, |(version, _)| *version);
    if current > latest {
        return Err(StoreError::Backend(format!(
            "the database has schema version {current}, newer than this binary supports ({latest}); \
             run a newer mcp-server"
        )));
    }
    Ok(migrations
        .iter()
        .filter(move |(version, _)| *version > current))
}
