-- Hosted mode schema on PostgreSQL, version 2: the audit log of admin changes, as in the SQLite
-- migration of the same version. Each entry is written in the transaction of the change it
-- records, under an advisory lock held to commit, so `seq` order is commit order across
-- replicas. `detail` is a JSON object of non-secret facts: never a credential, token, URL or key.

CREATE TABLE audit_log (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT NOT NULL,
    -- `admin` (MCP_ADMIN_TOKEN) or `cli`.
    actor       TEXT NOT NULL,
    -- `account.create`, `server.update`, `key.rotate`, ...
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    -- NULL for changes to the whole database (key rotation).
    target_id   TEXT,
    detail      TEXT NOT NULL
);
