-- The self-signed TLS material (server.tls = "self-signed", docs/tls.md), as in
-- migrations/sqlite/0007_tls.sql: one local CA per database, made once by whichever replica
-- starts first, and the server certificate it issued for the configured hostnames. A new
-- hostname list replaces the server certificate, never the CA. `reset` leaves it alone.

CREATE TABLE tls_material (
    id             SMALLINT PRIMARY KEY CHECK (id = 1),
    ca_cert_pem    TEXT NOT NULL,
    -- Never served nor logged: it only signs the next server certificate.
    ca_key_pem     TEXT NOT NULL,
    leaf_cert_pem  TEXT NOT NULL,
    leaf_key_pem   TEXT NOT NULL,
    -- The names the server certificate was issued for, as configured, comma-separated.
    hostnames      TEXT NOT NULL,
    -- When the server certificate expires (Unix seconds, wall time).
    leaf_not_after BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    leaf_issued_at BIGINT NOT NULL
);
