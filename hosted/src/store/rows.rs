//! Rows as either database returns them, and their conversion to records: every engine stores
//! times as Unix milliseconds, hashes as bytes and a server's config as JSON text, so the
//! checks on the way out are the same.

use chrono::{DateTime, Utc};

use super::StoreError;
use crate::crypto::TokenHash;
use crate::model::{
    AccountRecord, ApiTokenRecord, AuditEntry, AuditRecord, ServerConfig, ServerRecord,
};

/// A server row before the fallible conversions: id, account id, name, config JSON, token hash,
/// expiry, creation and update times.
pub(super) type ServerRow = (
    String,
    String,
    String,
    String,
    Vec<u8>,
    Option<i64>,
    i64,
    i64,
);
/// An account row: id, integration, sealed credentials, creation time.
pub(super) type AccountRow = (String, String, Vec<u8>, i64);
/// An API token row: id, token hash, creation time.
pub(super) type ApiTokenRow = (String, Vec<u8>, i64);

pub(super) fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

pub(super) fn from_millis(millis: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| StoreError::Backend(format!("corrupt timestamp {millis} in the database")))
}

pub(super) fn to_hash(bytes: Vec<u8>) -> Result<TokenHash, StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Backend("corrupt token hash in the database".into()))
}

pub(super) fn config_json(config: &ServerConfig) -> Result<String, StoreError> {
    serde_json::to_string(config)
        .map_err(|error| StoreError::Backend(format!("cannot encode config: {error}")))
}

pub(super) fn server_record(row: ServerRow) -> Result<ServerRecord, StoreError> {
    let (id, account_id, name, config, token_hash, expires_at, created_at, updated_at) = row;
    let config: ServerConfig = serde_json::from_str(&config).map_err(|error| {
        StoreError::Backend(format!("corrupt config of MCP server {id}: {error}"))
    })?;
    Ok(ServerRecord {
        config,
        account_id,
        name,
        token_hash: to_hash(token_hash)?,
        expires_at: expires_at.map(from_millis).transpose()?,
        created_at: from_millis(created_at)?,
        updated_at: from_millis(updated_at)?,
        id,
    })
}

pub(super) fn account_record(row: AccountRow) -> Result<AccountRecord, StoreError> {
    let (id, integration, sealed_credentials, created_at) = row;
    Ok(AccountRecord {
        id,
        integration,
        sealed_credentials,
        created_at: from_millis(created_at)?,
    })
}

pub(super) fn api_token_record(row: ApiTokenRow) -> Result<ApiTokenRecord, StoreError> {
    let (id, token_hash, created_at) = row;
    Ok(ApiTokenRecord {
        id,
        token_hash: to_hash(token_hash)?,
        created_at: from_millis(created_at)?,
    })
}

/// An audit row: sequence number, time, actor, action, target kind and id, detail JSON.
pub(super) type AuditRow = (i64, i64, String, String, String, Option<String>, String);

pub(super) fn audit_detail_json(entry: &AuditEntry) -> Result<String, StoreError> {
    serde_json::to_string(&entry.detail)
        .map_err(|error| StoreError::Backend(format!("cannot encode audit detail: {error}")))
}

pub(super) fn audit_record(row: AuditRow) -> Result<AuditRecord, StoreError> {
    let (seq, at, actor, action, target_kind, target_id, detail) = row;
    let detail = serde_json::from_str(&detail).map_err(|error| {
        StoreError::Backend(format!("corrupt detail of audit entry {seq}: {error}"))
    })?;
    Ok(AuditRecord {
        seq,
        entry: AuditEntry {
            at: from_millis(at)?,
            actor,
            action,
            target_kind,
            target_id,
            detail,
        },
    })
}
