//! Versioned SQL migrations for the PostgreSQL store.
//!
//! Migrations live in `hosted/migrations/postgres/NNNN_name.sql`, are compiled in, and are
//! applied in order in one transaction that first takes a transaction-scoped advisory lock, so
//! replicas starting together apply each migration once. A database newer than this binary is
//! refused, as with SQLite.

use chrono::Utc;
use deadpool_postgres::Client;

use super::super::StoreError;

/// Every PostgreSQL migration, by version, in order. Version N means the same schema as the
/// SQLite migration N.
pub const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        include_str!("../../../migrations/postgres/0002_audit_log.sql"),
    ),
    (
        3,
        include_str!("../../../migrations/postgres/0003_sessions.sql"),
    ),
];

/// The advisory lock key migrations hold: any constant unique to this application.
const MIGRATION_LOCK: i64 = 0x6d63_7067_656e_0001;

/// Brings the database to the latest schema version; returns the versions it applied.
pub(super) async fn migrate(client: &mut Client) -> Result<Vec<i64>, StoreError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version    BIGINT PRIMARY KEY,
            applied_at BIGINT NOT NULL
        )",
    )
    .await?;
    let current: i64 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])
        .await?
        .get(0);
    let mut applied = Vec::new();
    for (version, sql) in super::super::migrate::pending(MIGRATIONS, current)? {
        tx.batch_execute(sql)
            .await
            .map_err(|error| StoreError::Backend(format!("migration {version} failed: {error}")))?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)",
            &[version, &Utc::now().timestamp_millis()],
        )
        .await?;
        applied.push(*version);
    }
    tx.commit().await?;
    Ok(applied)
}
