-- Hosted mode schema on PostgreSQL, version 1: the same tables, columns and meaning as the
-- SQLite schema of the same version (hosted/migrations/0001_initial.sql). Applied by
-- hosted/src/store/postgres/migrate.rs in one transaction under an advisory lock, recorded in
-- schema_version. Timestamps are Unix milliseconds (UTC). Ids use the "C" collation so that
-- they sort bytewise, as list cursors expect, whatever the database's locale.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

CREATE TABLE integrated_accounts (
    id          TEXT COLLATE "C" PRIMARY KEY,
    integration TEXT NOT NULL,
    credentials BYTEA NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE mcp_servers (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES integrated_accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    -- JSON: {"methods": [...], "tags": [...], "require_api_token_auth": bool, ...}
    config     TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    -- NULL: never expires.
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX mcp_servers_by_account ON mcp_servers (account_id, id);
CREATE INDEX mcp_servers_by_expiry ON mcp_servers (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE api_tokens (
    id         TEXT COLLATE "C" PRIMARY KEY,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
