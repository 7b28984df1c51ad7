//! Three emulator processes on one database behave as one server (`docs/reliability.md#replicas`):
//! a login on one is refreshed on another (a user login's code and rotating chain too), a
//! revocation, a rotated key, a fault, the clock and new accounts reach all three, a cold start
//! agrees on one key, and a burst spread over them answers no 5xx.
//!
//! Every case runs once per backend: `sqlite_*` on three processes sharing one SQLite file,
//! `postgres_*` on a fresh database of the throwaway PostgreSQL in `tests/common/postgres.rs`.
//! `throwaway_postgres` tests that support.

// The integration suite's harness, shared rather than copied; this suite uses only part of it.
#[allow(dead_code, unused_imports)]
#[path = "../api/support/mod.rs"]
mod support;

// The one copy of the throwaway PostgreSQL in this binary (the harness above includes it).
use support::postgres;

/// `$sqlite` and `$postgres`, two tests running `async fn $case(backend: Backend)` on each
/// backend. The names are spelled out, so that a test's name leads to its case by grep.
macro_rules! on_both_backends {
    ($case:ident: $sqlite:ident, $postgres:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            $case($crate::backend::Backend::Sqlite).await
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            $case($crate::backend::Backend::Postgres).await
        }
    };
}

mod backend;
mod replicas;
mod throwaway_postgres;

mod accounts;
mod faults;
mod keys;
mod load;
mod tokens;
mod user_login;
