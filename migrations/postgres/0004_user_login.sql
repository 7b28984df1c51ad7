-- User login on the OAuth2 realm (docs/protocol.md#user-login); the same tables and columns as
-- migrations/sqlite/0008_user_login.sql, whose comments say why.
ALTER TABLE refresh_tokens ALTER COLUMN api_key_hash DROP NOT NULL;
ALTER TABLE refresh_tokens ADD COLUMN client_id TEXT;
ALTER TABLE refresh_tokens ADD COLUMN sid TEXT;
ALTER TABLE refresh_tokens ADD COLUMN scope TEXT;
ALTER TABLE refresh_tokens ADD COLUMN nonce TEXT;
ALTER TABLE refresh_tokens ADD COLUMN auth_time BIGINT;
ALTER TABLE refresh_tokens ADD COLUMN rotations BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refresh_tokens ADD COLUMN revoked_reason TEXT;
CREATE INDEX refresh_tokens_by_sid ON refresh_tokens (sid) WHERE sid IS NOT NULL;

CREATE TABLE retired_refresh_tokens (
    token_hash        BYTEA PRIMARY KEY,
    chain_id          BIGINT NOT NULL,
    retired_at        BIGINT NOT NULL,
    chain_expires_at  BIGINT NOT NULL,
    successor_sealed  BYTEA NOT NULL
);
CREATE INDEX retired_refresh_tokens_by_expiry ON retired_refresh_tokens (chain_expires_at);

CREATE TABLE authorization_codes (
    code_hash       BYTEA PRIMARY KEY,
    client_id       TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT,
    nonce           TEXT,
    scope           TEXT NOT NULL,
    user_uid        TEXT NOT NULL,
    sid             TEXT NOT NULL,
    auth_time       BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT,
    chain_id        BIGINT
);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);

-- Quoted: AUTHORIZATION is a reserved word in PostgreSQL.
ALTER TABLE flows ADD COLUMN "authorization" TEXT;
ALTER TABLE sessions ADD COLUMN sid TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_by_sid ON sessions (sid);
