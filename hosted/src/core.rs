//! [`Hosted`]: the hosted mode's operations on accounts, MCP servers and API tokens, shared by
//! the admin API, the `/mcp/<token>` gateway and the operator CLI.
//!
//! This is where secrets change form: credentials are validated and sealed on the way in and
//! opened only to build an upstream client; tokens are generated here, returned once, and only
//! their hashes go to the [`Store`].

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};
use mcpgen_runtime::{Credentials, Integration, Page, UpstreamClient};
use serde_json::json;

use crate::clock::Clock;
use crate::crypto::{self, Cipher, SecretKey};
use crate::error::HostedError;
use crate::input::{NewAccount, NewServer, ServerPatch};
use crate::model::{
    ACCOUNT_PREFIX, API_TOKEN_PREFIX, AUDIT_PREFIX, AccountRecord, Actor, ApiTokenRecord,
    AuditEntry, AuditRecord, SERVER_PREFIX, ServerConfig, ServerRecord, audit_seq,
};
use crate::sessions::ServerSessions;
use crate::store::{Sealed, Store};
use crate::upstream::{UpstreamSettings, Upstreams};
use crate::validate;

/// The default and largest page sizes of admin list routes.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 50;
pub(crate) const MAX_PAGE_SIZE: usize = 200;

/// What the key-check marker seals; decrypting it proves `MCP_SECRET_KEY` is the database's key.
const KEY_CHECK: &[u8] = b"mcpgen hosted key check v1";
const KEY_CHECK_AAD: &[u8] = b"settings.key_check";

/// Settings of one hosted deployment.
#[derive(Debug, Clone)]
pub struct HostedSettings {
    /// Base of MCP server URLs (`https://mcp.example.com`), without a trailing slash.
    pub public_url: String,
    /// How far ahead `expires_at` must be (60 s; tests lower it).
    pub min_expiry: TimeDelta,
    /// How accounts reach their upstreams.
    pub upstream: UpstreamSettings,
}

/// How long a 2025-11-25 session is kept for other replicas to restore: a day, past any
/// conversation a client keeps one session for.
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::days(1);

/// The hosted mode's operations; cheap to share behind an `Arc`.
pub struct Hosted {
    store: Arc<dyn Store>,
    /// `None` for CLI commands that never touch credentials (no `MCP_SECRET_KEY` needed).
    cipher: Option<Cipher>,
    clock: Arc<dyn Clock>,
    integrations: Vec<&'static Integration>,
    upstreams: Upstreams,
    settings: HostedSettings,
    /// The key-check marker [`Hosted::verify_key`] opened: new credentials are stored only
    /// while the database still has it, so a process started before a key rotation cannot seal
    /// anything under the retired key.
    key_check: Mutex<Option<Vec<u8>>>,
}

impl std::fmt::Debug for Hosted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hosted")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Hosted {
    /// Fails only when the HTTP client cannot be built (a broken TLS setup).
    pub fn new(
        store: Arc<dyn Store>,
        cipher: Option<Cipher>,
        clock: Arc<dyn Clock>,
        integrations: &[&'static Integration],
        mut settings: HostedSettings,
    ) -> Result<Self, HostedError> {
        settings.public_url = settings.public_url.trim_end_matches('/').to_owned();
        let upstreams = Upstreams::new(settings.upstream.clone())
            .map_err(|error| HostedError::Internal(error.to_string()))?;
        Ok(Self {
            store,
            cipher,
            clock,
            integrations: integrations.to_vec(),
            upstreams,
            settings,
            key_check: Mutex::new(None),
        })
    }

    /// The clock's time, to the millisecond the store keeps, so a record reads back exactly as
    /// it was returned when created.
    pub fn now(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
    }

    /// The integrations this deployment serves; accounts can only be created for these.
    pub fn integrations(&self) -> &[&'static Integration] {
        &self.integrations
    }

    /// The settings it runs with (`public_url` without its trailing slash).
    pub fn settings(&self) -> &HostedSettings {
        &self.settings
    }

    fn cipher(&self) -> Result<&Cipher, HostedError> {
        self.cipher.as_ref().ok_or_else(|| {
            HostedError::Internal(
                "MCP_SECRET_KEY is not set; it is needed to encrypt or decrypt credentials".into(),
            )
        })
    }

    /// Ties the database to this key on first use, and refuses a different key afterwards:
    /// otherwise every account would fail to decrypt only when first used.
    pub async fn verify_key(&self) -> Result<(), HostedError> {
        let cipher = self.cipher()?;
        if self.store.key_check().await?.is_none() {
            let sealed = cipher.seal(KEY_CHECK, KEY_CHECK_AAD).map_err(internal)?;
            self.store.set_key_check(sealed).await?;
        }
        let sealed = self.store.key_check().await?.unwrap_or_default();
        if !opens_marker(cipher, &sealed) {
            return Err(HostedError::Internal(WRONG_KEY.into()));
        }
        *self
            .key_check
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(sealed);
        Ok(())
    }

    /// Re-seals every credential and the key-check marker under `new_key`, in one transaction
    /// (all or nothing, whatever happens to the process). This process's key must be the
    /// database's; `new_key` must differ from it. Processes still running with the old key
    /// must be restarted with the new one: they can no longer open credentials or add accounts.
    pub async fn rotate_key(
        &self,
        old_key: &SecretKey,
        new_key: &SecretKey,
        actor: Actor,
        progress: Arc<dyn Fn(usize) + Send + Sync>,
    ) -> Result<usize, HostedError> {
        if old_key.same_as(new_key) {
            return Err(HostedError::invalid(
                "same_key",
                "MCP_NEW_SECRET_KEY is the same as MCP_SECRET_KEY; generate a new key \
                 (e.g. `openssl rand -hex 32`)",
            ));
        }
        let old = Cipher::new(old_key);
        let sealed = self.store.key_check().await?.ok_or_else(|| {
            HostedError::invalid(
                "no_key_check",
                "this database has no key-check marker yet (no server or command with a key \
                 has opened it); there is nothing to rotate",
            )
        })?;
        if !opens_marker(&old, &sealed) {
            return Err(HostedError::Internal(WRONG_KEY.into()));
        }
        let new = Cipher::new(new_key);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let reseal = move |item: Sealed<'_>, blob: &[u8]| -> Result<Vec<u8>, String> {
            let (plain, aad) = match item {
                Sealed::KeyCheck => {
                    let plain = old.open(blob, KEY_CHECK_AAD).map_err(|_| {
                        "the key-check marker no longer opens under MCP_SECRET_KEY (did \
                             another rotation commit first?)"
                            .to_owned()
                    })?;
                    (plain, KEY_CHECK_AAD)
                }
                Sealed::Account { id } => {
                    let plain = old.open(blob, id.as_bytes()).map_err(|_| {
                        format!(
                            "the credentials of integrated account {id} do not open under \
                             MCP_SECRET_KEY (corrupted); delete that account and rotate again"
                        )
                    })?;
                    let count = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    progress(count);
                    (plain, id.as_bytes())
                }
            };
            new.seal(&plain, aad)
                .map_err(|error| format!("cannot seal under the new key: {error}"))
        };
        let now = self.now();
        let audit = Box::new(move |accounts: usize| {
            AuditEntry::new(now, actor, "key.rotate", "database", None)
                .with_detail(json!({ "accounts": accounts }))
        });
        let accounts = self.store.reseal_all(Arc::new(reseal), audit).await?;
        tracing::info!(accounts, "MCP_SECRET_KEY rotated");
        Ok(accounts)
    }

    /// Whether the database's key marker has changed since [`Hosted::verify_key`] (a rotation
    /// by another process): this process's key is then retired and it must be restarted.
    pub async fn key_rotated(&self) -> Result<bool, HostedError> {
        let known = self
            .key_check
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let Some(known) = known else {
            return Ok(false);
        };
        Ok(self
            .store
            .key_check()
            .await?
            .is_some_and(|now| now != known))
    }

    /// The marker [`Hosted::verify_key`] opened, verifying first if it has not run.
    async fn verified_key_check(&self) -> Result<Vec<u8>, HostedError> {
        let known = self
            .key_check
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match known {
            Some(sealed) => Ok(sealed),
            None => {
                self.verify_key().await?;
                self.key_check
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone()
                    .ok_or_else(|| HostedError::Internal("the key check did not run".into()))
            }
        }
    }

    /// Up to `limit` audit entries, oldest first, after the entry id `cursor`.
    pub async fn audit_log(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditRecord>, HostedError> {
        check_cursor(cursor, AUDIT_PREFIX)?;
        let after = cursor.and_then(audit_seq);
        if cursor.is_some() && after.is_none() {
            return Err(invalid_cursor());
        }
        let mut rows = self.store.audit_log(after, limit + 1).await?;
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(AuditRecord::id)
        } else {
            None
        };
        Ok(Page {
            result: rows,
            next_cursor,
        })
    }

    /// Stores an account whose credentials can build an upstream client: a base URL they break
    /// or a host they point at the operator's network is a 400 naming the credential.
    pub async fn create_account(
        &self,
        input: &NewAccount,
        actor: Actor,
    ) -> Result<AccountRecord, HostedError> {
        let integration = validate::integration(&self.integrations, &input.integration)?;
        let credentials = validate::credentials(integration, &input.credentials)?;
        self.upstreams
            .client(integration, credentials)
            .map_err(|error| {
                HostedError::invalid(
                    "invalid_credentials",
                    format!(
                        "these credentials cannot reach {}: {error}",
                        integration.name
                    ),
                )
            })?;
        let now = self.now();
        let id = crypto::new_id(ACCOUNT_PREFIX, now);
        let plaintext = serde_json::to_vec(&input.credentials).map_err(internal)?;
        let sealed_credentials = self
            .cipher()?
            .seal(&plaintext, id.as_bytes())
            .map_err(internal)?;
        let account = AccountRecord {
            id,
            integration: integration.name.to_owned(),
            sealed_credentials,
            created_at: now,
        };
        let key_check = self.verified_key_check().await?;
        let audit = AuditEntry::new(
            now,
            actor,
            "account.create",
            "integrated_account",
            Some(&account.id),
        )
        .with_detail(json!({ "integration": account.integration }));
        self.store
            .insert_account(account.clone(), key_check, audit)
            .await?;
        tracing::info!(account = %account.id, integration = integration.name, "integrated account created");
        Ok(account)
    }

    /// The account with this id, or [`HostedError::NotFound`].
    pub async fn account(&self, id: &str) -> Result<AccountRecord, HostedError> {
        // Not an id this server makes: no such record, without a database round trip (and
        // without text some engines refuse, such as NUL on PostgreSQL).
        if !crypto::is_id(id, ACCOUNT_PREFIX) {
            return Err(HostedError::not_found("integrated account", id));
        }
        self.store
            .account(id)
            .await?
            .ok_or_else(|| HostedError::not_found("integrated account", id))
    }

    /// Up to `limit` accounts, oldest first, after the account id `cursor` (the previous
    /// page's `next_cursor`); a cursor that is not an account id is `invalid_cursor`.
    pub async fn accounts(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AccountRecord>, HostedError> {
        check_cursor(cursor, ACCOUNT_PREFIX)?;
        let rows = self.store.accounts(cursor, limit + 1).await?;
        Ok(page(rows, limit, |account| &account.id))
    }

    /// Deletes the account and its MCP servers.
    pub async fn delete_account(&self, id: &str, actor: Actor) -> Result<(), HostedError> {
        let account = self.account(id).await?;
        let audit = AuditEntry::new(
            self.now(),
            actor,
            "account.delete",
            "integrated_account",
            Some(id),
        )
        .with_detail(json!({ "integration": account.integration }));
        if !self.store.delete_account(id, audit).await? {
            return Err(HostedError::not_found("integrated account", id));
        }
        tracing::info!(account = %id, "integrated account deleted with its MCP servers");
        Ok(())
    }

    /// The account's integration (accounts only name integrations this binary serves, unless
    /// the database was written by a build with more).
    pub fn integration_of(
        &self,
        account: &AccountRecord,
    ) -> Result<&'static Integration, HostedError> {
        self.integrations.iter().copied().find(|i| i.name == account.integration).ok_or_else(|| {
            HostedError::Internal(format!(
                "integrated account {} uses integration {:?}, which this build does not include",
                account.id, account.integration
            ))
        })
    }

    /// Opens the account's sealed credentials.
    pub fn credentials(&self, account: &AccountRecord) -> Result<Credentials, HostedError> {
        let plaintext = self
            .cipher()?
            .open(&account.sealed_credentials, account.id.as_bytes())
            .map_err(|error| {
                HostedError::Internal(format!("integrated account {}: {error}", account.id))
            })?;
        let values: std::collections::BTreeMap<String, String> = serde_json::from_slice(&plaintext)
            .map_err(|_| {
                HostedError::Internal(format!(
                    "integrated account {}: corrupt credentials",
                    account.id
                ))
            })?;
        Ok(values.into_iter().collect())
    }

    /// The account's upstream client. Credentials that no longer build one (an account stored
    /// before a check existed, or under other `--base-url` settings) are
    /// [`HostedError::Unusable`].
    pub fn upstream_client(&self, account: &AccountRecord) -> Result<UpstreamClient, HostedError> {
        let integration = self.integration_of(account)?;
        let credentials = self.credentials(account)?;
        self.upstreams
            .client(integration, credentials)
            .map_err(|error| HostedError::Unusable {
                message: format!(
                    "the integrated account of this MCP server cannot reach {}: {error}; the \
                     operator has to replace the account",
                    integration.name
                ),
            })
    }

    /// Creates an MCP server; returns it with its URL, which is never shown again.
    pub async fn create_server(
        &self,
        account_id: &str,
        input: &NewServer,
        actor: Actor,
    ) -> Result<(ServerRecord, String), HostedError> {
        let account = self.account(account_id).await?;
        let integration = self.integration_of(&account)?;
        let now = self.now();
        let name = validate::name(&input.name)?;
        let config = validate::config(
            integration,
            &input.config.clone().unwrap_or_default(),
            &ServerConfig::default(),
        )?;
        let expires_at =
            validate::expiry(input.expires_at.as_deref(), now, self.settings.min_expiry)?;
        let token = crypto::new_token();
        let server = ServerRecord {
            id: crypto::new_id(SERVER_PREFIX, now),
            account_id: account.id,
            name,
            config,
            token_hash: crypto::hash_token(&token),
            expires_at,
            created_at: now,
            updated_at: now,
        };
        let audit = AuditEntry::new(now, actor, "server.create", "mcp_server", Some(&server.id))
            .with_detail(server_detail(&server));
        self.store.insert_server(server.clone(), now, audit).await?;
        tracing::info!(server = %server.id, account = %server.account_id, "MCP server created");
        let url = format!("{}/mcp/{token}", self.settings.public_url);
        Ok((server, url))
    }

    /// A live server; with `account_id`, only if it belongs to that account.
    pub async fn server(
        &self,
        account_id: Option<&str>,
        id: &str,
    ) -> Result<ServerRecord, HostedError> {
        if !crypto::is_id(id, SERVER_PREFIX) {
            return Err(HostedError::not_found("MCP server", id));
        }
        self.store
            .server(id, self.now())
            .await?
            .filter(|server| account_id.is_none_or(|account_id| server.account_id == account_id))
            .ok_or_else(|| HostedError::not_found("MCP server", id))
    }

    /// Live servers, of one account (which must exist) or all.
    pub async fn servers(
        &self,
        account_id: Option<&str>,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<ServerRecord>, HostedError> {
        if let Some(account_id) = account_id {
            self.account(account_id).await?;
        }
        check_cursor(cursor, SERVER_PREFIX)?;
        let rows = self
            .store
            .servers(account_id, cursor, limit + 1, self.now())
            .await?;
        Ok(page(rows, limit, |server| &server.id))
    }

    /// Applies `patch` to a live server of the account. A patch that changes nothing returns
    /// the server as it was, `updated_at` included.
    pub async fn update_server(
        &self,
        account_id: &str,
        id: &str,
        patch: &ServerPatch,
        actor: Actor,
    ) -> Result<ServerRecord, HostedError> {
        let current = self.server(Some(account_id), id).await?;
        let account = self.account(account_id).await?;
        let integration = self.integration_of(&account)?;
        let now = self.now();
        let mut server = current.clone();
        if let Some(name) = &patch.name {
            server.name = validate::name(name)?;
        }
        if let Some(config) = &patch.config {
            server.config = validate::config(integration, config, &current.config)?;
        }
        if let Some(expires_at) = &patch.expires_at {
            server.expires_at =
                validate::expiry(expires_at.as_deref(), now, self.settings.min_expiry)?;
        }
        if server == current {
            return Ok(current);
        }
        server.updated_at = now;
        let mut detail = server_detail(&server);
        let changed: Vec<&str> = [
            ("name", server.name != current.name),
            ("config", server.config != current.config),
            ("expires_at", server.expires_at != current.expires_at),
        ]
        .into_iter()
        .filter_map(|(field, changed)| changed.then_some(field))
        .collect();
        detail["changed"] = json!(changed);
        let audit = AuditEntry::new(now, actor, "server.update", "mcp_server", Some(id))
            .with_detail(detail);
        if !self.store.update_server(server.clone(), now, audit).await? {
            return Err(HostedError::not_found("MCP server", id));
        }
        tracing::info!(server = %id, "MCP server updated");
        Ok(server)
    }

    /// Deletes a server; with `account_id`, only if it belongs to that account.
    pub async fn delete_server(
        &self,
        account_id: Option<&str>,
        id: &str,
        actor: Actor,
    ) -> Result<(), HostedError> {
        let server = self.server(account_id, id).await?;
        let audit = AuditEntry::new(self.now(), actor, "server.delete", "mcp_server", Some(id))
            .with_detail(json!({ "account_id": server.account_id, "name": server.name }));
        if !self.store.delete_server(id, audit).await? {
            return Err(HostedError::not_found("MCP server", id));
        }
        tracing::info!(server = %id, "MCP server deleted");
        Ok(())
    }

    /// The live server a URL token opens, with its account. Unknown, deleted and expired tokens
    /// are all `None`.
    pub async fn resolve(
        &self,
        token: &str,
    ) -> Result<Option<(ServerRecord, AccountRecord)>, HostedError> {
        Ok(self
            .store
            .resolve_server(&crypto::hash_token(token), self.now())
            .await?)
    }

    /// Deletes expired servers; returns their ids.
    pub async fn purge_expired(&self) -> Result<Vec<String>, HostedError> {
        Ok(self.store.purge_expired(self.now()).await?)
    }

    /// Forgets stored sessions older than [`SESSION_LIFETIME`]; returns how many. A client
    /// holding one starts a new session (the 2025-11-25 answer to an unknown session is 404).
    pub async fn purge_sessions(&self) -> Result<usize, HostedError> {
        Ok(self
            .store
            .purge_sessions(self.now() - SESSION_LIFETIME)
            .await?)
    }

    /// The stored sessions of one MCP server, for its endpoint on this replica.
    pub(crate) fn sessions_of(&self, server_id: &str) -> ServerSessions {
        ServerSessions::new(Arc::clone(&self.store), Arc::clone(&self.clock), server_id)
    }

    /// Issues an API token; returns it with the raw token, which is never shown again.
    pub async fn create_api_token(
        &self,
        actor: Actor,
    ) -> Result<(ApiTokenRecord, String), HostedError> {
        let now = self.now();
        let token = crypto::new_token();
        let record = ApiTokenRecord {
            id: crypto::new_id(API_TOKEN_PREFIX, now),
            token_hash: crypto::hash_token(&token),
            created_at: now,
        };
        let audit = AuditEntry::new(
            now,
            actor,
            "api_token.create",
            "api_token",
            Some(&record.id),
        );
        self.store.insert_api_token(record.clone(), audit).await?;
        tracing::info!(api_token = %record.id, "API token issued");
        Ok((record, token))
    }

    /// Up to `limit` API tokens, oldest first, after the token id `cursor`.
    pub async fn api_tokens(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<ApiTokenRecord>, HostedError> {
        check_cursor(cursor, API_TOKEN_PREFIX)?;
        let rows = self.store.api_tokens(cursor, limit + 1).await?;
        Ok(page(rows, limit, |token| &token.id))
    }

    /// Whether `token` is an API token that has been issued and not deleted.
    pub async fn api_token_valid(&self, token: &str) -> Result<bool, HostedError> {
        Ok(self
            .store
            .api_token_exists(&crypto::hash_token(token))
            .await?)
    }

    /// Deletes an API token; servers that require one refuse it from the next request on.
    pub async fn delete_api_token(&self, id: &str, actor: Actor) -> Result<(), HostedError> {
        if !crypto::is_id(id, API_TOKEN_PREFIX) {
            return Err(HostedError::not_found("API token", id));
        }
        let audit = AuditEntry::new(self.now(), actor, "api_token.delete", "api_token", Some(id));
        if !self.store.delete_api_token(id, audit).await? {
            return Err(HostedError::not_found("API token", id));
        }
        tracing::info!(api_token = %id, "API token deleted");
        Ok(())
    }
}

const WRONG_KEY: &str = "MCP_SECRET_KEY is not this database's key: set the key it was created \
     with or, after `mcp-server keys rotate`, the MCP_NEW_SECRET_KEY of the last rotation \
     (credentials cannot be decrypted without it)";

/// Whether `cipher` opens the key-check marker `sealed`.
fn opens_marker(cipher: &Cipher, sealed: &[u8]) -> bool {
    cipher
        .open(sealed, KEY_CHECK_AAD)
        .is_ok_and(|plain| plain == KEY_CHECK)
}

/// What the audit log says about a server: its account, name and filters (never its URL).
fn server_detail(server: &ServerRecord) -> serde_json::Value {
    json!({
        "account_id": server.account_id,
        "name": server.name,
        "methods": server.config.methods,
        "tags": server.config.tags,
        "require_api_token_auth": server.config.require_api_token_auth,
        "tool_exposure": server.config.tool_exposure,
        "expires_at": server.expires_at.map(crate::views::timestamp),
    })
}

fn internal(error: impl std::fmt::Display) -> HostedError {
    HostedError::Internal(error.to_string())
}

/// Cursors are the last id of the previous page; anything else is a client mistake.
fn check_cursor(cursor: Option<&str>, prefix: &str) -> Result<(), HostedError> {
    match cursor {
        Some(cursor) if !crypto::is_id(cursor, prefix) => Err(invalid_cursor()),
        _ => Ok(()),
    }
}

fn invalid_cursor() -> HostedError {
    HostedError::invalid(
        "invalid_cursor",
        "next_cursor is not a cursor this list returned; pass the previous page's next_cursor unchanged",
    )
}

/// Cuts `rows` (fetched with one extra row) to `limit` and sets the cursor when there is more.
fn page<T>(mut rows: Vec<T>, limit: usize, id: impl Fn(&T) -> &String) -> Page<T> {
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|row| id(row).clone())
    } else {
        None
    };
    Page {
        result: rows,
        next_cursor,
    }
}
