-- Hosted mode schema on PostgreSQL, version 3: 2025-11-25 sessions, as in the SQLite migration
-- of the same version, so that any replica can serve a session another one opened.

CREATE TABLE mcp_sessions (
    server_id  TEXT COLLATE "C" NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (server_id, session_id)
);

CREATE INDEX mcp_sessions_by_age ON mcp_sessions (created_at);
