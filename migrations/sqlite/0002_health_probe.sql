-- Readiness writes (and rolls back) a row here to prove the database accepts writes.
CREATE TABLE health_probe (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at  INTEGER NOT NULL
);
