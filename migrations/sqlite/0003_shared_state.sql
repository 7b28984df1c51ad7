-- State the control plane changes at runtime, shared by every process on this database.
-- Processes cache it and poll `state_version`, which every such change bumps in the same
-- transaction, so a change is seen everywhere within the poll interval without a query per
-- request.

CREATE TABLE users (
    uid            TEXT PRIMARY KEY NOT NULL,
    nick           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    email          TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the uid, a NUL and the password: no password in clear at rest.
    password_hash  BLOB NOT NULL,
    claims         TEXT NOT NULL DEFAULT '{}',
    -- 1: seeded from the configuration at every start; 0: created over the control plane.
    configured     INTEGER NOT NULL DEFAULT 0,
    position       INTEGER NOT NULL
);

CREATE TABLE api_keys (
    key_hash       BLOB PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    -- The first characters of the key, so listings can tell keys apart without showing them.
    key_hint       TEXT NOT NULL,
    permissions    TEXT NOT NULL DEFAULT '[]',
    destinations   TEXT NOT NULL DEFAULT '[]',
    configured     INTEGER NOT NULL DEFAULT 0,
    position       INTEGER NOT NULL
);

CREATE TABLE clock (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    offset_seconds INTEGER NOT NULL DEFAULT 0,
    -- Emulator-clock second time stands still at; NULL while time runs.
    frozen_at      INTEGER
);
INSERT INTO clock (id, offset_seconds) VALUES (1, 0);

CREATE TABLE state_version (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    version        INTEGER NOT NULL
);
INSERT INTO state_version (id, version) VALUES (1, 0);
