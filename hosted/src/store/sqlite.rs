//! The embedded SQLite [`Store`]: a few WAL-mode connections used from blocking threads.
//!
//! WAL lets readers (every `/mcp/<token>` request resolves its token here) proceed while a
//! writer commits; `synchronous = FULL` makes each commit survive a crash or `SIGKILL`, which
//! matters more than write speed for a store changed by admin calls. Writes that check and then
//! insert (server names) run in `BEGIN IMMEDIATE` transactions so they cannot interleave.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::rows::{
    AccountRow, ServerRow, account_record, api_token_record, audit_detail_json, audit_record,
    config_json, millis, server_record,
};
use super::{Reseal, RotationAudit, Sealed, Store, StoreError, migrate};
use crate::crypto::TokenHash;
use crate::model::{AccountRecord, ApiTokenRecord, AuditEntry, AuditRecord, ServerRecord};

const POOL_SIZE: usize = 4;
/// How long a writer waits for another connection's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SERVER_COLUMNS: &str =
    "s.id, s.account_id, s.name, s.config, s.token_hash, s.expires_at, s.created_at, s.updated_at";
const ACCOUNT_COLUMNS: &str = "a.id, a.integration, a.credentials, a.created_at";
const LIVE: &str = "(s.expires_at IS NULL OR s.expires_at > ?)";

/// SQLite behind a small pool of connections.
pub struct SqliteStore {
    slots: Arc<[Mutex<Connection>]>,
    next: AtomicUsize,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("connections", &self.slots.len())
            .finish()
    }
}

impl SqliteStore {
    /// Opens or creates the database file (mode 0600 on Unix) and applies pending migrations.
    pub async fn open(path: PathBuf) -> Result<Self, StoreError> {
        let slots = tokio::task::spawn_blocking(move || open_pool(&path))
            .await
            .map_err(|error| {
                StoreError::Backend(format!("opening the database failed: {error}"))
            })??;
        Ok(Self {
            slots: slots.into(),
            next: AtomicUsize::new(0),
        })
    }

    /// Runs `work` on a free connection (or waits for one) on a blocking thread.
    async fn with<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let slots = Arc::clone(&self.slots);
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            let mut conn = acquire(&slots, start);
            work(&mut conn)
        })
        .await
        .map_err(|error| StoreError::Backend(format!("database task failed: {error}")))?
    }
}

fn open_pool(path: &std::path::Path) -> Result<Vec<Mutex<Connection>>, StoreError> {
    create_private(path)?;
    let size = if path.as_os_str() == ":memory:" {
        1
    } else {
        POOL_SIZE
    };
    let mut first = connect(path)?;
    migrate::migrate(&mut first)?;
    let mut slots = vec![Mutex::new(first)];
    for _ in 1..size {
        slots.push(Mutex::new(connect(path)?));
    }
    Ok(slots)
}

/// Creates the file readable by its owner only, before SQLite creates it with the umask's mode.
pub(super) fn create_private(path: &std::path::Path) -> Result<(), StoreError> {
    if path.as_os_str() == ":memory:" || path.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(StoreError::Backend(format!(
            "cannot create {}: {error}",
            path.display()
        ))),
    }
}

pub(super) fn connect(path: &std::path::Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)
        .map_err(|error| StoreError::Backend(format!("cannot open {}: {error}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    Ok(conn)
}

/// Takes the first idle connection from `start` on, else waits for the one at `start`.
fn acquire(slots: &[Mutex<Connection>], start: usize) -> MutexGuard<'_, Connection> {
    for offset in 0..slots.len() {
        match slots[(start + offset) % slots.len()].try_lock() {
            Ok(guard) => return guard,
            Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => {}
        }
    }
    slots[start % slots.len()]
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

fn server_row(row: &Row<'_>, at: usize) -> rusqlite::Result<ServerRow> {
    Ok((
        row.get(at)?,
        row.get(at + 1)?,
        row.get(at + 2)?,
        row.get(at + 3)?,
        row.get(at + 4)?,
        row.get(at + 5)?,
        row.get(at + 6)?,
        row.get(at + 7)?,
    ))
}

fn account_row(row: &Row<'_>, at: usize) -> rusqlite::Result<AccountRow> {
    Ok((
        row.get(at)?,
        row.get(at + 1)?,
        row.get(at + 2)?,
        row.get(at + 3)?,
    ))
}

fn record(conn: &Connection, entry: &AuditEntry) -> Result<(), StoreError> {
    let detail = audit_detail_json(entry)?;
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, target_kind, target_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            millis(entry.at),
            entry.actor,
            entry.action,
            entry.target_kind,
            entry.target_id,
            detail
        ],
    )?;
    Ok(())
}

/// Whether another live server of `account_id` (other than `except`) is called `name`.
fn name_taken(
    conn: &Connection,
    account_id: &str,
    name: &str,
    except: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let sql = format!(
        "SELECT 1 FROM mcp_servers s WHERE s.account_id = ? AND s.name = ? AND s.id <> ? AND {LIVE}"
    );
    Ok(conn
        .query_row(&sql, params![account_id, name, except, now], |_| Ok(()))
        .optional()?
        .is_some())
}

#[async_trait]
impl Store for SqliteStore {
    async fn key_check(&self) -> Result<Option<Vec<u8>>, StoreError> {
        self.with(|conn| {
            Ok(conn
                .query_row(
                    "SELECT value FROM settings WHERE key = 'key_check'",
                    [],
                    |row| row.get(0),
                )
                .optional()?)
        })
        .await
    }

    async fn set_key_check(&self, sealed: Vec<u8>) -> Result<(), StoreError> {
        self.with(move |conn| {
            conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES ('key_check', ?1)",
                [sealed],
            )?;
            Ok(())
        })
        .await
    }

    async fn reseal_all(
        &self,
        reseal: Arc<Reseal>,
        audit: RotationAudit,
    ) -> Result<usize, StoreError> {
        self.with(move |conn| {
            // IMMEDIATE takes the write lock first, so no account can be added (under the old
            // key) between reading the rows and committing their new seals.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let marker: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT value FROM settings WHERE key = 'key_check'",
                    [],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(marker) = marker {
                let resealed = reseal(Sealed::KeyCheck, &marker).map_err(StoreError::Reseal)?;
                tx.execute(
                    "UPDATE settings SET value = ?1 WHERE key = 'key_check'",
                    [resealed],
                )?;
            }
            // Read first, then write: updating rows while a cursor walks the table is legal in
            // SQLite but not something to lean on.
            let accounts: Vec<(String, Vec<u8>)> = {
                let mut statement =
                    tx.prepare("SELECT id, credentials FROM integrated_accounts ORDER BY id")?;
                let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            {
                let mut update =
                    tx.prepare("UPDATE integrated_accounts SET credentials = ?1 WHERE id = ?2")?;
                for (id, sealed) in &accounts {
                    let resealed =
                        reseal(Sealed::Account { id }, sealed).map_err(StoreError::Reseal)?;
                    update.execute(params![resealed, id])?;
                }
            }
            record(&tx, &audit(accounts.len()))?;
            tx.commit()?;
            Ok(accounts.len())
        })
        .await
    }

    async fn insert_account(
        &self,
        account: AccountRecord,
        key_check: Vec<u8>,
        audit: AuditEntry,
    ) -> Result<(), StoreError> {
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // One statement checks the marker and inserts, so a rotation cannot slip between.
            let inserted = tx.execute(
                "INSERT INTO integrated_accounts (id, integration, credentials, created_at)
                 SELECT ?1, ?2, ?3, ?4
                 WHERE (SELECT value FROM settings WHERE key = 'key_check') = ?5",
                params![
                    account.id,
                    account.integration,
                    account.sealed_credentials,
                    millis(account.created_at),
                    key_check
                ],
            )?;
            if inserted == 0 {
                return Err(StoreError::KeyChanged);
            }
            record(&tx, &audit)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn account(&self, id: &str) -> Result<Option<AccountRecord>, StoreError> {
        let id = id.to_owned();
        self.with(move |conn| {
            let sql =
                format!("SELECT {ACCOUNT_COLUMNS} FROM integrated_accounts a WHERE a.id = ?1");
            conn.query_row(&sql, [id], |row| account_row(row, 0))
                .optional()?
                .map(account_record)
                .transpose()
        })
        .await
    }

    async fn accounts(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AccountRecord>, StoreError> {
        let after = after.unwrap_or_default().to_owned();
        self.with(move |conn| {
            let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM integrated_accounts a WHERE a.id > ?1 ORDER BY a.id LIMIT ?2");
            let mut statement = conn.prepare(&sql)?;
            let rows = statement.query_map(params![after, limit as i64], |row| account_row(row, 0))?;
            rows.map(|row| account_record(row?)).collect()
        })
        .await
    }

    async fn delete_account(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM mcp_servers WHERE account_id = ?1", [&id])?;
            let deleted = tx.execute("DELETE FROM integrated_accounts WHERE id = ?1", [&id])?;
            if deleted > 0 {
                record(&tx, &audit)?;
            }
            tx.commit()?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn insert_server(
        &self,
        server: ServerRecord,
        now: DateTime<Utc>,
        audit: AuditEntry,
    ) -> Result<(), StoreError> {
        self.with(move |conn| {
            let config = config_json(&server.config)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let account_exists =
                tx.query_row("SELECT 1 FROM integrated_accounts WHERE id = ?1", [&server.account_id], |_| Ok(()))
                    .optional()?
                    .is_some();
            if !account_exists {
                return Err(StoreError::NoSuchAccount(server.account_id));
            }
            if name_taken(&tx, &server.account_id, &server.name, &server.id, millis(now))? {
                return Err(StoreError::NameTaken(server.name));
            }
            tx.execute(
                "INSERT INTO mcp_servers (id, account_id, name, config, token_hash, expires_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    server.id,
                    server.account_id,
                    server.name,
                    config,
                    &server.token_hash[..],
                    server.expires_at.map(millis),
                    millis(server.created_at),
                    millis(server.updated_at),
                ],
            )?;
            record(&tx, &audit)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn server(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ServerRecord>, StoreError> {
        let id = id.to_owned();
        self.with(move |conn| {
            let sql =
                format!("SELECT {SERVER_COLUMNS} FROM mcp_servers s WHERE s.id = ? AND {LIVE}");
            conn.query_row(&sql, params![id, millis(now)], |row| server_row(row, 0))
                .optional()?
                .map(server_record)
                .transpose()
        })
        .await
    }

    async fn servers(
        &self,
        account_id: Option<&str>,
        after: Option<&str>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<ServerRecord>, StoreError> {
        let account_id = account_id.map(str::to_owned);
        let after = after.unwrap_or_default().to_owned();
        self.with(move |conn| {
            let sql = format!(
                "SELECT {SERVER_COLUMNS} FROM mcp_servers s
                 WHERE (?1 IS NULL OR s.account_id = ?1) AND s.id > ?2 AND (s.expires_at IS NULL OR s.expires_at > ?3)
                 ORDER BY s.id LIMIT ?4"
            );
            let mut statement = conn.prepare(&sql)?;
            let rows = statement
                .query_map(params![account_id, after, millis(now), limit as i64], |row| server_row(row, 0))?;
            rows.map(|row| server_record(row?)).collect()
        })
        .await
    }

    async fn update_server(
        &self,
        server: ServerRecord,
        now: DateTime<Utc>,
        audit: AuditEntry,
    ) -> Result<bool, StoreError> {
        self.with(move |conn| {
            let config = config_json(&server.config)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if name_taken(&tx, &server.account_id, &server.name, &server.id, millis(now))? {
                return Err(StoreError::NameTaken(server.name));
            }
            let sql = format!(
                "UPDATE mcp_servers AS s SET name = ?, config = ?, expires_at = ?, updated_at = ? WHERE s.id = ? AND {LIVE}"
            );
            let updated = tx.execute(
                &sql,
                params![
                    server.name,
                    config,
                    server.expires_at.map(millis),
                    millis(server.updated_at),
                    server.id,
                    millis(now),
                ],
            )?;
            if updated > 0 {
                record(&tx, &audit)?;
            }
            tx.commit()?;
            Ok(updated > 0)
        })
        .await
    }

    async fn delete_server(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let deleted = tx.execute("DELETE FROM mcp_servers WHERE id = ?1", [id])? > 0;
            if deleted {
                record(&tx, &audit)?;
            }
            tx.commit()?;
            Ok(deleted)
        })
        .await
    }

    async fn resolve_server(
        &self,
        token_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<(ServerRecord, AccountRecord)>, StoreError> {
        let token_hash = *token_hash;
        self.with(move |conn| {
            let sql = format!(
                "SELECT {SERVER_COLUMNS}, {ACCOUNT_COLUMNS} FROM mcp_servers s
                 JOIN integrated_accounts a ON a.id = s.account_id
                 WHERE s.token_hash = ? AND {LIVE}"
            );
            let row = conn
                .query_row(&sql, params![&token_hash[..], millis(now)], |row| {
                    Ok((server_row(row, 0)?, account_row(row, 8)?))
                })
                .optional()?;
            row.map(|(server, account)| Ok((server_record(server)?, account_record(account)?)))
                .transpose()
        })
        .await
    }

    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
        self.with(move |conn| {
            let mut statement = conn
                .prepare("DELETE FROM mcp_servers WHERE expires_at IS NOT NULL AND expires_at <= ?1 RETURNING id")?;
            let ids = statement.query_map([millis(now)], |row| row.get(0))?;
            Ok(ids.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .await
    }

    async fn insert_api_token(
        &self,
        token: ApiTokenRecord,
        audit: AuditEntry,
    ) -> Result<(), StoreError> {
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO api_tokens (id, token_hash, created_at) VALUES (?1, ?2, ?3)",
                params![token.id, &token.token_hash[..], millis(token.created_at)],
            )?;
            record(&tx, &audit)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn api_tokens(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ApiTokenRecord>, StoreError> {
        let after = after.unwrap_or_default().to_owned();
        self.with(move |conn| {
            let mut statement =
                conn.prepare("SELECT id, token_hash, created_at FROM api_tokens WHERE id > ?1 ORDER BY id LIMIT ?2")?;
            let rows = statement.query_map(params![after, limit as i64], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?, row.get::<_, i64>(2)?))
            })?;
            rows.map(|row| api_token_record(row?)).collect()
        })
        .await
    }

    async fn api_token_exists(&self, token_hash: &TokenHash) -> Result<bool, StoreError> {
        let token_hash = *token_hash;
        self.with(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT 1 FROM api_tokens WHERE token_hash = ?1",
                    [&token_hash[..]],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        })
        .await
    }

    async fn delete_api_token(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let deleted = tx.execute("DELETE FROM api_tokens WHERE id = ?1", [id])? > 0;
            if deleted {
                record(&tx, &audit)?;
            }
            tx.commit()?;
            Ok(deleted)
        })
        .await
    }

    async fn save_session(
        &self,
        server_id: &str,
        session_id: &str,
        state: String,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (server_id, session_id) = (server_id.to_owned(), session_id.to_owned());
        self.with(move |conn| {
            conn.execute(
                "INSERT INTO mcp_sessions (server_id, session_id, state, created_at)
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM mcp_servers WHERE id = ?1)
                 ON CONFLICT (server_id, session_id) DO UPDATE SET state = excluded.state",
                params![server_id, session_id, state, millis(now)],
            )?;
            Ok(())
        })
        .await
    }

    async fn session(
        &self,
        server_id: &str,
        session_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let (server_id, session_id) = (server_id.to_owned(), session_id.to_owned());
        self.with(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT state FROM mcp_sessions WHERE server_id = ?1 AND session_id = ?2",
                    [server_id, session_id],
                    |row| row.get(0),
                )
                .optional()?)
        })
        .await
    }

    async fn delete_session(&self, server_id: &str, session_id: &str) -> Result<(), StoreError> {
        let (server_id, session_id) = (server_id.to_owned(), session_id.to_owned());
        self.with(move |conn| {
            conn.execute(
                "DELETE FROM mcp_sessions WHERE server_id = ?1 AND session_id = ?2",
                [server_id, session_id],
            )?;
            Ok(())
        })
        .await
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        self.with(move |conn| {
            Ok(conn.execute(
                "DELETE FROM mcp_sessions WHERE created_at < ?1",
                [millis(before)],
            )?)
        })
        .await
    }

    async fn audit_log(
        &self,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let after = after.unwrap_or(0);
        self.with(move |conn| {
            let mut statement = conn.prepare(
                "SELECT seq, at, actor, action, target_kind, target_id, detail FROM audit_log
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?;
            let rows = statement.query_map(params![after, limit as i64], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                ))
            })?;
            rows.map(|row| audit_record(row?)).collect()
        })
        .await
    }
}
