-- OAuth2 clients of the realm `uitid` (docs/protocol.md#oauth2-clients): seeded from the
-- configuration (configured) and made at runtime by the control plane. The secret is kept
-- only as its SHA-256; a public client has none. Lists are JSON arrays of strings.
CREATE TABLE oauth_clients (
    client_id                 TEXT COLLATE "C" PRIMARY KEY,
    secret_hash               BYTEA,
    name                      TEXT NOT NULL,
    grants                    TEXT NOT NULL DEFAULT '[]',
    apis                      TEXT NOT NULL DEFAULT '[]',
    redirect_uris             TEXT NOT NULL DEFAULT '[]',
    post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]',
    configured                BOOLEAN NOT NULL DEFAULT FALSE,
    position                  BIGINT NOT NULL
);

-- A fault on the token endpoint may match one client (docs/protocol.md#faults).
ALTER TABLE faults ADD COLUMN client_id TEXT;
