-- User login on the OAuth2 realm (docs/protocol.md#user-login, docs/architecture.md#storage).
--
-- A rotating refresh-token chain is one row of refresh_tokens: token_hash is the chain's
-- current token, so a rotation is one compare-and-swap of that hash and exactly one of many
-- concurrent refreshes wins. Chains belong to an OAuth2 client, not an API key, so
-- api_key_hash becomes optional; SQLite cannot drop NOT NULL, hence the rebuild.
CREATE TABLE refresh_tokens_next (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash      BLOB NOT NULL UNIQUE,
    user_uid        TEXT NOT NULL,
    api_key_hash    BLOB,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    last_used_at    INTEGER,
    revoked_at      INTEGER,
    client_id       TEXT,
    sid             TEXT,
    scope           TEXT,
    nonce           TEXT,
    auth_time       INTEGER,
    rotations       INTEGER NOT NULL DEFAULT 0,
    revoked_reason  TEXT
);
INSERT INTO refresh_tokens_next (id, token_hash, user_uid, api_key_hash, created_at, expires_at,
                                 last_used_at, revoked_at)
    SELECT id, token_hash, user_uid, api_key_hash, created_at, expires_at, last_used_at,
           revoked_at
    FROM refresh_tokens;
DROP TABLE refresh_tokens;
ALTER TABLE refresh_tokens_next RENAME TO refresh_tokens;
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_uid);
CREATE INDEX refresh_tokens_by_key ON refresh_tokens (api_key_hash);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX refresh_tokens_by_revocation ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX refresh_tokens_by_sid ON refresh_tokens (sid) WHERE sid IS NOT NULL;

-- Tokens a chain rotated away from, kept until the chain ends so a reuse is recognised
-- (reuse detection). successor_sealed is the next token encrypted under a key derived from
-- the retired token itself: only its holder can open it, within the grace window.
CREATE TABLE retired_refresh_tokens (
    token_hash        BLOB PRIMARY KEY NOT NULL,
    chain_id          INTEGER NOT NULL,
    retired_at        INTEGER NOT NULL,
    chain_expires_at  INTEGER NOT NULL,
    successor_sealed  BLOB NOT NULL
);
CREATE INDEX retired_refresh_tokens_by_expiry ON retired_refresh_tokens (chain_expires_at);

-- Authorization codes, by hash; single use. chain_id is the chain the first use made, so a
-- second use can revoke it.
CREATE TABLE authorization_codes (
    code_hash       BLOB PRIMARY KEY NOT NULL,
    client_id       TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT,
    nonce           TEXT,
    scope           TEXT NOT NULL,
    user_uid        TEXT NOT NULL,
    sid             TEXT NOT NULL,
    auth_time       INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    used_at         INTEGER,
    chain_id        INTEGER
);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);

-- A login flow started at the authorization endpoint carries its request as JSON.
ALTER TABLE flows ADD COLUMN authorization TEXT;
-- The session id tokens name (sid, session_state); never derived from the cookie.
ALTER TABLE sessions ADD COLUMN sid TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_by_sid ON sessions (sid);
