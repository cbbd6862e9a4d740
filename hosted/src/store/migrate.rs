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
    let latest = MIGRATIONS.last().map_or(0, |(version, _)| *version);
    if current > latest {
        return Err(StoreError::Backend(format!(
            "the database has schema version {current}, newer than this binary supports ({latest}); \
             run a newer mcp-server"
        )));
    }
    let mut applied = Vec::new();
    for (version, sql) in MIGRATIONS.iter().filter(|(version, _)| *version > current) {
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
