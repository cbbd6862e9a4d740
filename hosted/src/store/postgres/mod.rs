//! The PostgreSQL [`Store`]: several `serve` replicas on one database.
//!
//! Same tables and semantics as SQLite (see `hosted/migrations/postgres/`). Check-then-write
//! operations (a server name unique among an account's live servers) lock the account's row
//! first, which serialises them across replicas as `BEGIN IMMEDIATE` does within one SQLite
//! file. Nothing is cached: every request reads the database, so a server created, deleted or
//! expired through one replica is seen by every other on its next request.
//!
//! Connections are plain TCP or Unix sockets (no TLS in this build): keep the database on
//! loopback, a private network or a socket, as docs/deploy.md describes.

mod migrate;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use super::rows::{
    AccountRow, ServerRow, account_record, api_token_record, audit_detail_json, audit_record,
    config_json, millis, server_record,
};
use super::{Reseal, RotationAudit, Sealed, Store, StoreError};
use crate::crypto::TokenHash;
use crate::model::{AccountRecord, ApiTokenRecord, AuditEntry, AuditRecord, ServerRecord};

pub use migrate::MIGRATIONS;

/// Connections per replica. Requests hold one for a query or two; more only queue at the server.
const POOL_SIZE: usize = 16;
/// How long a request waits for a free connection, or for a new one, before failing.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);
/// The advisory lock the expiry purge holds: with several replicas, one purges per interval.
const PURGE_LOCK: i64 = 0x6d63_7067_656e_0002;
/// The advisory lock audit appends hold to commit (see [`record`]).
const AUDIT_LOCK: i64 = 0x6d63_7067_656e_0003;

const SERVER_COLUMNS: &str =
    "s.id, s.account_id, s.name, s.config, s.token_hash, s.expires_at, s.created_at, s.updated_at";
const ACCOUNT_COLUMNS: &str = "a.id, a.integration, a.credentials, a.created_at";

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        match error.as_db_error() {
            Some(db) => StoreError::Backend(format!("PostgreSQL: {}", db.message())),
            None => StoreError::Backend(format!("PostgreSQL: {error}")),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        match error {
            deadpool_postgres::PoolError::Backend(error) => error.into(),
            other => StoreError::Backend(format!("PostgreSQL connection pool: {other}")),
        }
    }
}

/// PostgreSQL behind a connection pool.
pub struct PostgresStore {
    pool: Pool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("connections", &self.pool.status().max_size)
            .finish()
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`, or the key=value form)
    /// and applies pending migrations. Errors never repeat the URL, which may hold a password.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = url.parse().map_err(|_| {
            StoreError::Unsupported(
                super::scheme_of(url),
                "not a valid PostgreSQL connection URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)",
            )
        })?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_TIMEOUT))
            .create_timeout(Some(POOL_TIMEOUT))
            .build()
            .map_err(|error| StoreError::Backend(format!("PostgreSQL connection pool: {error}")))?;
        let mut client = pool.get().await?;
        migrate::migrate(&mut client).await?;
        drop(client);
        Ok(Self { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }

    /// Runs `delete` (its `$1` is `id`) and, when it removed a row, records `audit` in the same
    /// transaction; whether a row went.
    async fn delete_audited(
        &self,
        delete: &str,
        id: &str,
        audit: AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let deleted = tx.execute(delete, &[&id]).await? > 0;
        if deleted {
            record(&tx, &audit).await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }
}

fn server_row(row: &tokio_postgres::Row, at: usize) -> Result<ServerRow, StoreError> {
    Ok((
        row.try_get(at)?,
        row.try_get(at + 1)?,
        row.try_get(at + 2)?,
        row.try_get(at + 3)?,
        row.try_get(at + 4)?,
        row.try_get(at + 5)?,
        row.try_get(at + 6)?,
        row.try_get(at + 7)?,
    ))
}

fn account_row(row: &tokio_postgres::Row, at: usize) -> Result<AccountRow, StoreError> {
    Ok((
        row.try_get(at)?,
        row.try_get(at + 1)?,
        row.try_get(at + 2)?,
        row.try_get(at + 3)?,
    ))
}

fn servers_from(rows: &[tokio_postgres::Row]) -> Result<Vec<ServerRecord>, StoreError> {
    rows.iter()
        .map(|row| server_record(server_row(row, 0)?))
        .collect()
}

/// The key-check marker, if set, read with `lock` (`""`, `"FOR SHARE"` or `"FOR UPDATE"`).
async fn marker(
    client: &impl GenericClient,
    lock: &'static str,
) -> Result<Option<Vec<u8>>, StoreError> {
    let sql = format!("SELECT value FROM settings WHERE key = 'key_check' {lock}");
    let row = client.query_opt(&sql, &[]).await?;
    Ok(row.map(|row| row.try_get(0)).transpose()?)
}

/// Whether another live server of `account_id` (other than `except`) is called `name`.
async fn name_taken(
    client: &impl GenericClient,
    account_id: &str,
    name: &str,
    except: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let row = client
        .query_opt(
            "SELECT 1 FROM mcp_servers s WHERE s.account_id = $1 AND s.name = $2 AND s.id <> $3
             AND (s.expires_at IS NULL OR s.expires_at > $4) LIMIT 1",
            &[&account_id, &name, &except, &now],
        )
        .await?;
    Ok(row.is_some())
}

/// Locks the account's row for the rest of the transaction; `false` when there is no such
/// account.
async fn lock_account(client: &impl GenericClient, account_id: &str) -> Result<bool, StoreError> {
    let row = client
        .query_opt(
            "SELECT 1 FROM integrated_accounts WHERE id = $1 FOR UPDATE",
            &[&account_id],
        )
        .await?;
    Ok(row.is_some())
}

/// Appends `entry` to the audit log inside the caller's transaction. The advisory lock, held
/// to commit, makes sequence order commit order across replicas (a sequence alone would let a
/// later number commit first, and a reader paging by number would skip the earlier one).
async fn record(client: &impl GenericClient, entry: &AuditEntry) -> Result<(), StoreError> {
    client
        .execute("SELECT pg_advisory_xact_lock($1)", &[&AUDIT_LOCK])
        .await?;
    client
        .execute(
            "INSERT INTO audit_log (at, actor, action, target_kind, target_id, detail)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &millis(entry.at),
                &entry.actor,
                &entry.action,
                &entry.target_kind,
                &entry.target_id,
                &audit_detail_json(entry)?,
            ],
        )
        .await?;
    Ok(())
}

fn limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

#[async_trait]
impl Store for PostgresStore {
    async fn key_check(&self) -> Result<Option<Vec<u8>>, StoreError> {
        marker(&self.client().await?, "").await
    }

    async fn set_key_check(&self, sealed: Vec<u8>) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO settings (key, value) VALUES ('key_check', $1) ON CONFLICT (key) DO NOTHING",
                &[&sealed],
            )
            .await?;
        Ok(())
    }

    async fn insert_account(
        &self,
        account: AccountRecord,
        key_check: Vec<u8>,
        audit: AuditEntry,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // FOR SHARE: a rotation (which holds the marker FOR UPDATE) cannot commit between this
        // check and the insert, so no account is sealed under a key the database just left.
        if marker(&tx, "FOR SHARE").await?.as_deref() != Some(key_check.as_slice()) {
            return Err(StoreError::KeyChanged);
        }
        tx.execute(
            "INSERT INTO integrated_accounts (id, integration, credentials, created_at) VALUES ($1, $2, $3, $4)",
            &[&account.id, &account.integration, &account.sealed_credentials, &millis(account.created_at)],
        )
        .await?;
        record(&tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reseal_all(
        &self,
        reseal: Arc<Reseal>,
        audit: RotationAudit,
    ) -> Result<usize, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The marker row first: account inserts check it FOR SHARE, so they wait for this
        // transaction and then see the new marker (and refuse with KeyChanged).
        if let Some(marker) = marker(&tx, "FOR UPDATE").await? {
            let resealed = reseal(Sealed::KeyCheck, &marker).map_err(StoreError::Reseal)?;
            tx.execute(
                "UPDATE settings SET value = $1 WHERE key = 'key_check'",
                &[&resealed],
            )
            .await?;
        }
        let accounts = tx
            .query(
                "SELECT id, credentials FROM integrated_accounts ORDER BY id FOR UPDATE",
                &[],
            )
            .await?;
        let update = tx
            .prepare("UPDATE integrated_accounts SET credentials = $1 WHERE id = $2")
            .await?;
        for row in &accounts {
            let id: String = row.try_get(0)?;
            let sealed: Vec<u8> = row.try_get(1)?;
            let resealed =
                reseal(Sealed::Account { id: &id }, &sealed).map_err(StoreError::Reseal)?;
            tx.execute(&update, &[&resealed, &id]).await?;
        }
        record(&tx, &audit(accounts.len())).await?;
        tx.commit().await?;
        Ok(accounts.len())
    }

    async fn account(&self, id: &str) -> Result<Option<AccountRecord>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM integrated_accounts a WHERE a.id = $1");
        let row = self.client().await?.query_opt(&sql, &[&id]).await?;
        row.map(|row| account_record(account_row(&row, 0)?))
            .transpose()
    }

    async fn accounts(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AccountRecord>, StoreError> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM integrated_accounts a WHERE a.id > $1 ORDER BY a.id LIMIT $2"
        );
        let rows = self
            .client()
            .await?
            .query(&sql, &[&after.unwrap_or_default(), &self::limit(limit)])
            .await?;
        rows.iter()
            .map(|row| account_record(account_row(row, 0)?))
            .collect()
    }

    async fn delete_account(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("DELETE FROM mcp_servers WHERE account_id = $1", &[&id])
            .await?;
        let deleted = tx
            .execute("DELETE FROM integrated_accounts WHERE id = $1", &[&id])
            .await?
            > 0;
        if deleted {
            record(&tx, &audit).await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }

    async fn insert_server(
        &self,
        server: ServerRecord,
        now: DateTime<Utc>,
        audit: AuditEntry,
    ) -> Result<(), StoreError> {
        let config = config_json(&server.config)?;
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if !lock_account(&tx, &server.account_id).await? {
            return Err(StoreError::NoSuchAccount(server.account_id));
        }
        if name_taken(
            &tx,
            &server.account_id,
            &server.name,
            &server.id,
            millis(now),
        )
        .await?
        {
            return Err(StoreError::NameTaken(server.name));
        }
        tx.execute(
            "INSERT INTO mcp_servers (id, account_id, name, config, token_hash, expires_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &server.id,
                &server.account_id,
                &server.name,
                &config,
                &&server.token_hash[..],
                &server.expires_at.map(millis),
                &millis(server.created_at),
                &millis(server.updated_at),
            ],
        )
        .await?;
        record(&tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn server(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ServerRecord>, StoreError> {
        let sql = format!(
            "SELECT {SERVER_COLUMNS} FROM mcp_servers s
             WHERE s.id = $1 AND (s.expires_at IS NULL OR s.expires_at > $2)"
        );
        let row = self
            .client()
            .await?
            .query_opt(&sql, &[&id, &millis(now)])
            .await?;
        row.map(|row| server_record(server_row(&row, 0)?))
            .transpose()
    }

    async fn servers(
        &self,
        account_id: Option<&str>,
        after: Option<&str>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<ServerRecord>, StoreError> {
        let sql = format!(
            "SELECT {SERVER_COLUMNS} FROM mcp_servers s
             WHERE ($1::text IS NULL OR s.account_id = $1) AND s.id > $2
               AND (s.expires_at IS NULL OR s.expires_at > $3)
             ORDER BY s.id LIMIT $4"
        );
        let rows = self
            .client()
            .await?
            .query(
                &sql,
                &[
                    &account_id,
                    &after.unwrap_or_default(),
                    &millis(now),
                    &self::limit(limit),
                ],
            )
            .await?;
        servers_from(&rows)
    }

    async fn update_server(
        &self,
        server: ServerRecord,
        now: DateTime<Utc>,
        audit: AuditEntry,
    ) -> Result<bool, StoreError> {
        let config = config_json(&server.config)?;
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if !lock_account(&tx, &server.account_id).await? {
            return Ok(false);
        }
        if name_taken(
            &tx,
            &server.account_id,
            &server.name,
            &server.id,
            millis(now),
        )
        .await?
        {
            return Err(StoreError::NameTaken(server.name));
        }
        let updated = tx
            .execute(
                "UPDATE mcp_servers AS s SET name = $1, config = $2, expires_at = $3, updated_at = $4
                 WHERE s.id = $5 AND (s.expires_at IS NULL OR s.expires_at > $6)",
                &[
                    &server.name,
                    &config,
                    &server.expires_at.map(millis),
                    &millis(server.updated_at),
                    &server.id,
                    &millis(now),
                ],
            )
            .await?
            > 0;
        if updated {
            record(&tx, &audit).await?;
        }
        tx.commit().await?;
        Ok(updated)
    }

    async fn delete_server(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError> {
        self.delete_audited("DELETE FROM mcp_servers WHERE id = $1", id, audit)
            .await
    }

    async fn resolve_server(
        &self,
        token_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<(ServerRecord, AccountRecord)>, StoreError> {
        let sql = format!(
            "SELECT {SERVER_COLUMNS}, {ACCOUNT_COLUMNS} FROM mcp_servers s
             JOIN integrated_accounts a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND (s.expires_at IS NULL OR s.expires_at > $2)"
        );
        let row = self
            .client()
            .await?
            .query_opt(&sql, &[&&token_hash[..], &millis(now)])
            .await?;
        row.map(|row| {
            Ok((
                server_record(server_row(&row, 0)?)?,
                account_record(account_row(&row, 8)?)?,
            ))
        })
        .transpose()
    }

    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Another replica purging right now will delete these rows; this one has nothing to do.
        let locked: bool = tx
            .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&PURGE_LOCK])
            .await?
            .try_get(0)?;
        if !locked {
            return Ok(Vec::new());
        }
        let rows = tx
            .query(
                "DELETE FROM mcp_servers WHERE expires_at IS NOT NULL AND expires_at <= $1 RETURNING id",
                &[&millis(now)],
            )
            .await?;
        let ids = rows
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<Vec<String>, _>>()?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn insert_api_token(
        &self,
        token: ApiTokenRecord,
        audit: AuditEntry,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "INSERT INTO api_tokens (id, token_hash, created_at) VALUES ($1, $2, $3)",
            &[&token.id, &&token.token_hash[..], &millis(token.created_at)],
        )
        .await?;
        record(&tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn api_tokens(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ApiTokenRecord>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, token_hash, created_at FROM api_tokens WHERE id > $1 ORDER BY id LIMIT $2",
                &[&after.unwrap_or_default(), &self::limit(limit)],
            )
            .await?;
        rows.iter()
            .map(|row| api_token_record((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
            .collect()
    }

    async fn api_token_exists(&self, token_hash: &TokenHash) -> Result<bool, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT 1 FROM api_tokens WHERE token_hash = $1",
                &[&&token_hash[..]],
            )
            .await?;
        Ok(row.is_some())
    }

    async fn delete_api_token(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError> {
        self.delete_audited("DELETE FROM api_tokens WHERE id = $1", id, audit)
            .await
    }

    async fn save_session(
        &self,
        server_id: &str,
        session_id: &str,
        state: String,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO mcp_sessions (server_id, session_id, state, created_at)
                 SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM mcp_servers WHERE id = $1)
                 ON CONFLICT (server_id, session_id) DO UPDATE SET state = excluded.state",
                &[&server_id, &session_id, &state, &millis(now)],
            )
            .await?;
        Ok(())
    }

    async fn session(
        &self,
        server_id: &str,
        session_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT state FROM mcp_sessions WHERE server_id = $1 AND session_id = $2",
                &[&server_id, &session_id],
            )
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    async fn delete_session(&self, server_id: &str, session_id: &str) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM mcp_sessions WHERE server_id = $1 AND session_id = $2",
                &[&server_id, &session_id],
            )
            .await?;
        Ok(())
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        let deleted = self
            .client()
            .await?
            .execute(
                "DELETE FROM mcp_sessions WHERE created_at < $1",
                &[&millis(before)],
            )
            .await?;
        Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
    }

    async fn audit_log(
        &self,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT seq, at, actor, action, target_kind, target_id, detail FROM audit_log
                 WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&after.unwrap_or(0), &self::limit(limit)],
            )
            .await?;
        rows.iter()
            .map(|row| {
                audit_record((
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                    row.try_get(4)?,
                    row.try_get(5)?,
                    row.try_get(6)?,
                ))
            })
            .collect()
    }
}
