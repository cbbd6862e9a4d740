-- Hosted mode schema, version 2: the audit log of admin changes (admin API, CLI, key rotation).
-- Each entry is written in the transaction of the change it records. `detail` is a JSON object
-- of non-secret facts (names, filters, counts): never a credential, token, URL or key.

CREATE TABLE audit_log (
    -- Commit order across every process on the database; AUTOINCREMENT so a number is never
    -- reused, which keeps list cursors (the public id `aud_<seq in hex>`) stable.
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    -- `admin` (MCP_ADMIN_TOKEN) or `cli`.
    actor       TEXT NOT NULL,
    -- `account.create`, `server.update`, `key.rotate`, ...
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    -- NULL for changes to the whole database (key rotation).
    target_id   TEXT,
    detail      TEXT NOT NULL
) STRICT;
