-- Faults queued over the control plane (docs/protocol.md#faults). Every process on the
-- database claims from this one table, one matching request at a time, so exactly `times`
-- requests are affected however many processes serve them.

CREATE TABLE faults (
    -- AUTOINCREMENT: an id is never handed out twice, so a stale id cannot delete a newer fault.
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- '/connect', '/login', '/refresh' or '/user'.
    route         TEXT NOT NULL,
    -- The API key to match (its hash) and its name for listings; NULL matches any caller.
    api_key_hash  BLOB,
    api_key_name  TEXT,
    -- The uid of the user to match; NULL matches any.
    user_uid      TEXT,
    times         INTEGER NOT NULL CHECK (times > 0),
    remaining     INTEGER NOT NULL CHECK (remaining >= 0),
    -- What happens to a matching request, as JSON (`status`, `delay`, `token` or `connection`).
    action        TEXT NOT NULL,
    -- 1 when the action breaks a token, which only answers that carry one can take.
    breaks_token  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE INDEX faults_by_route ON faults (route, id);
