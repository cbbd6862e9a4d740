-- Hosted mode schema, version 3: 2025-11-25 sessions, so that any replica can serve a session
-- another one opened. A row holds what the client sent in `initialize` (rmcp's SessionState as
-- JSON: protocol version, capabilities, client info), never a token or a credential. Rows go
-- with their server, when the client ends the session, or after a day (the purge task).

CREATE TABLE mcp_sessions (
    server_id  TEXT NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    state      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (server_id, session_id)
) STRICT;

CREATE INDEX mcp_sessions_by_age ON mcp_sessions (created_at);
