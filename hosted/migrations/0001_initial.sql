-- Hosted mode schema, version 1. Applied by server/src/hosted/store/migrate.rs in one
-- transaction and recorded in schema_version. Timestamps are Unix milliseconds (UTC).
-- No column holds a secret in the clear: credentials are AES-256-GCM sealed (associated data:
-- the account id), tokens are stored as their SHA-256.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE integrated_accounts (
    id          TEXT PRIMARY KEY,
    integration TEXT NOT NULL,
    credentials BLOB NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE mcp_servers (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES integrated_accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    -- JSON: {"methods": [...], "tags": [...], "require_api_token_auth": bool}
    config     TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    -- NULL: never expires.
    expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX mcp_servers_by_account ON mcp_servers (account_id, id);
CREATE INDEX mcp_servers_by_expiry ON mcp_servers (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;
