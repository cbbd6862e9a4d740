//! Persistence for the hosted mode, behind the [`Store`] trait.
//!
//! Handlers and the CLI only see `Arc<dyn Store>`; [`open`] picks the implementation from the
//! `--database` value. SQLite ([`sqlite::SqliteStore`]) is the embedded default; PostgreSQL
//! ([`postgres::PostgresStore`]) serves several replicas from one database. Every query
//! that serves a request takes `now` so expired servers vanish the moment they expire, before
//! the purge task deletes them.

pub mod backup;
mod migrate;
pub mod postgres;
mod rows;
pub mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::crypto::TokenHash;
use super::model::{AccountRecord, ApiTokenRecord, AuditEntry, AuditRecord, ServerRecord};

pub use migrate::MIGRATIONS;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another live server of the same account already has this name.
    #[error("an MCP server named {0:?} already exists for this account")]
    NameTaken(String),
    /// The account a server was being created for does not exist (any more).
    #[error("integrated account {0} does not exist")]
    NoSuchAccount(String),
    /// A `--database` value this build cannot open: its scheme only (`postgres://...`, so a
    /// password never shows), or the value itself when it is an empty SQLite path; then what
    /// to use instead.
    #[error("unsupported database {0:?}: {1}")]
    Unsupported(String, &'static str),
    /// The database's key-check marker is no longer the one this process verified at start:
    /// the key was rotated, and sealing under the old key would lose the value.
    #[error(
        "the database's MCP_SECRET_KEY was rotated after this process started; restart it with \
         the new key"
    )]
    KeyChanged,
    /// Re-sealing a value failed, so a key rotation changed nothing; what failed, without the
    /// value.
    #[error("key rotation aborted, nothing was changed: {0}")]
    Reseal(String),
    /// The database failed; the driver's error text.
    #[error("database error: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Backend(error.to_string())
    }
}

/// A sealed value handed to a [`Reseal`] function, with what it is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealed<'a> {
    /// The key-check marker.
    KeyCheck,
    /// An account's credentials (sealed with the account id as associated data).
    Account {
        /// The account id.
        id: &'a str,
    },
}

/// Opens a sealed value under the old key and seals it under the new one; an error (which
/// names the record, never its content) aborts the whole rotation.
pub type Reseal = dyn Fn(Sealed<'_>, &[u8]) -> Result<Vec<u8>, String> + Send + Sync;

/// The audit entry of a rotation, made once the number of re-sealed accounts is known.
pub type RotationAudit = Box<dyn FnOnce(usize) -> AuditEntry + Send>;

/// Accounts, MCP servers and API tokens. Lists are ordered by id (ids sort by creation time)
/// and start strictly after the `after` id, which is how cursors work.
///
/// Every change an operator makes takes the [`AuditEntry`] that records it, and stores both in
/// one transaction: the audit log holds exactly the changes that happened (a delete or update
/// that finds nothing records nothing).
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The sealed marker that ties the database to one `MCP_SECRET_KEY`, if set.
    async fn key_check(&self) -> Result<Option<Vec<u8>>, StoreError>;
    /// Stores the marker unless one is already set (the first key wins).
    async fn set_key_check(&self, sealed: Vec<u8>) -> Result<(), StoreError>;

    /// Re-seals every sealed value (the key-check marker and every account's credentials) with
    /// `reseal` in one transaction, and records `audit` (given the number of accounts) in it.
    /// Other writers wait for it; if `reseal` fails or the process dies, nothing changes.
    /// Returns the number of accounts re-sealed.
    ///
    /// It must exclude [`Store::insert_account`]'s marker check for its whole length, or an
    /// account inserted meanwhile under the old key would be left behind: SQLite's single
    /// writer does this; a PostgreSQL store would lock the marker row (`FOR UPDATE` here,
    /// `FOR SHARE` in `insert_account`) before anything else.
    async fn reseal_all(
        &self,
        reseal: Arc<Reseal>,
        audit: RotationAudit,
    ) -> Result<usize, StoreError>;

    /// Stores a new account sealed under the key whose marker is `key_check`; fails with
    /// [`StoreError::KeyChanged`] if the database's marker is another (a rotation happened).
    async fn insert_account(
        &self,
        account: AccountRecord,
        key_check: Vec<u8>,
        audit: AuditEntry,
    ) -> Result<(), StoreError>;
    /// The account with this id, if any.
    async fn account(&self, id: &str) -> Result<Option<AccountRecord>, StoreError>;
    /// Up to `limit` accounts after the `after` id.
    async fn accounts(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AccountRecord>, StoreError>;
    /// Deletes the account and all its MCP servers; `false` when there was no such account.
    async fn delete_account(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError>;

    /// Fails with [`StoreError::NameTaken`] or [`StoreError::NoSuchAccount`].
    async fn insert_server(
        &self,
        server: ServerRecord,
        now: DateTime<Utc>,
        audit: AuditEntry,
    ) -> Result<(), StoreError>;
    /// A live (unexpired) server by id.
    async fn server(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ServerRecord>, StoreError>;
    /// Live servers, all or of one account.
    async fn servers(
        &self,
        account_id: Option<&str>,
        after: Option<&str>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<ServerRecord>, StoreError>;
    /// Replaces name, config, expiry and `updated_at` of a live server; `false` when it is gone.
    async fn update_server(
        &self,
        server: ServerRecord,
        now: DateTime<Utc>,
        audit: AuditEntry,
    ) -> Result<bool, StoreError>;
    /// Deletes a server, expired or not; `false` when there was no such server.
    async fn delete_server(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError>;
    /// The live server whose URL token hashes to `token_hash`, with its account.
    async fn resolve_server(
        &self,
        token_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<(ServerRecord, AccountRecord)>, StoreError>;
    /// Deletes servers expired at `now`; returns their ids.
    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError>;

    /// Stores a new API token.
    async fn insert_api_token(
        &self,
        token: ApiTokenRecord,
        audit: AuditEntry,
    ) -> Result<(), StoreError>;
    /// Up to `limit` API tokens after the `after` id.
    async fn api_tokens(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ApiTokenRecord>, StoreError>;
    /// Whether an API token with this hash exists.
    async fn api_token_exists(&self, token_hash: &TokenHash) -> Result<bool, StoreError>;
    /// Deletes an API token; `false` when there was no such token.
    async fn delete_api_token(&self, id: &str, audit: AuditEntry) -> Result<bool, StoreError>;

    /// Keeps the `initialize` state (JSON) of a 2025-11-25 session of a live server, so any
    /// replica can restore the session; does nothing once the server is gone.
    async fn save_session(
        &self,
        server_id: &str,
        session_id: &str,
        state: String,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The state [`Store::save_session`] kept for this server's session, if any.
    async fn session(
        &self,
        server_id: &str,
        session_id: &str,
    ) -> Result<Option<String>, StoreError>;
    /// Forgets a session (the client ended it).
    async fn delete_session(&self, server_id: &str, session_id: &str) -> Result<(), StoreError>;
    /// Forgets sessions opened before `before`; returns how many.
    async fn purge_sessions(&self, before: DateTime<Utc>) -> Result<usize, StoreError>;

    /// Up to `limit` audit entries in commit order, after the one numbered `after`.
    async fn audit_log(
        &self,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, StoreError>;
}

/// The engine and location a `--database` value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Database<'a> {
    /// A SQLite file: a path, `sqlite://PATH` or `sqlite:PATH`.
    Sqlite(&'a str),
    /// A PostgreSQL URL, `postgres://...` or `postgresql://...`.
    Postgres(&'a str),
}

/// Reads a `--database` value; other schemes, and an empty SQLite path, are
/// [`StoreError::Unsupported`].
pub fn parse(database: &str) -> Result<Database<'_>, StoreError> {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        return Ok(Database::Postgres(database));
    }
    let path = if let Some(path) = database
        .strip_prefix("sqlite://")
        .or_else(|| database.strip_prefix("sqlite:"))
    {
        path
    } else if database.contains("://") {
        return Err(StoreError::Unsupported(
            scheme_of(database),
            "expected a file path, sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE",
        ));
    } else {
        database
    };
    if path.is_empty() {
        return Err(StoreError::Unsupported(
            database.to_owned(),
            "the SQLite path is empty",
        ));
    }
    Ok(Database::Sqlite(path))
}

/// Opens (creating and migrating as needed) the store a `--database` value names: a SQLite file
/// path, `sqlite://PATH` or `sqlite:PATH`, or a PostgreSQL URL (`postgres://...` or
/// `postgresql://...`).
pub async fn open(database: &str) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match parse(database)? {
        Database::Sqlite(path) => Arc::new(sqlite::SqliteStore::open(path.into()).await?),
        Database::Postgres(url) => Arc::new(postgres::PostgresStore::open(url).await?),
    })
}

/// The SQLite file a `--database` value names, for the commands that work on the file itself
/// (backup, restore); a PostgreSQL URL is [`StoreError::Unsupported`] with what to use instead.
pub fn sqlite_path(database: &str) -> Result<&str, StoreError> {
    match parse(database)? {
        Database::Sqlite(path) => Ok(path),
        Database::Postgres(url) => Err(StoreError::Unsupported(
            scheme_of(url),
            "this command works on a SQLite file; back up and restore PostgreSQL with pg_dump and \
             pg_restore (docs/deploy.md)",
        )),
    }
}

/// Only the scheme, so a URL's password never reaches an error message.
fn scheme_of(url: &str) -> String {
    url.split("://")
        .next()
        .map(|scheme| format!("{scheme}://..."))
        .unwrap_or_default()
}
