//! A throwaway PostgreSQL 15 for tests: [`fresh_database`] hands out a brand-new empty database,
//! dropped again (best effort) with its [`TestDatabase`]. Test crates include this file with
//! `#[path = "../common/postgres.rs"] mod postgres;` (`docs/reliability.md#replicas`).
//!
//! The server is `UITID_TEST_POSTGRES_URL` when set: a running server's superuser on its
//! `postgres` database (`.ci/run` starts one with `scripts/postgres-cluster.sh`). Otherwise each
//! test process starts a cluster of its own on first use ([`cluster`]): `initdb` and `postgres`
//! from the PATH or Debian's directory, as `nobody` when root (initdb refuses root), trust
//! authentication, loopback only, a free port, under `<temp>/uitid-test-postgres/`.
//!
//! Nothing of it outlives the test process. The postmaster is started by a thread that waits for
//! it, so that thread ends only with the process (or the postmaster), with `PR_SET_PDEATHSIG`:
//! the kernel sends it SIGQUIT (immediate shutdown) when that thread ends, whatever ends the
//! process, SIGKILL included. A normal exit also stops it and removes its directory (`atexit`).
//! A directory left by a killed process is removed by the next start, which knows it is stale
//! because the lock its owner held on `<name>.lock` went with the owner.

#[path = "postgres_cluster.rs"]
mod cluster;

use std::sync::OnceLock;

use sqlx::Postgres;
use sqlx::migrate::MigrateDatabase;

const SERVER_URL: &str = "UITID_TEST_POSTGRES_URL";

/// A database of its own on the test server, dropped (best effort) with this value.
pub struct TestDatabase {
    /// `postgres://...` of the database, for `database.url`.
    pub url: String,
}

/// A new, empty database with a unique name.
pub async fn fresh_database() -> TestDatabase {
    let server = tokio::task::spawn_blocking(server_url).await.unwrap();
    let mut url = url::Url::parse(&server).expect("a postgres:// URL");
    url.set_path(&format!("uitid_test_{}", uuid::Uuid::new_v4().simple()));
    let url = url.to_string();
    let created = Postgres::create_database(&url).await;
    created.unwrap_or_else(|e| panic!("CREATE DATABASE on {server}: {e}"));
    TestDatabase { url }
}

impl Drop for TestDatabase {
    /// Ends the sessions still on the database (a test's servers may not have exited yet) and
    /// drops it. `drop` cannot await and may run on a runtime's thread: it uses a thread and a
    /// runtime of its own.
    fn drop(&mut self) {
        let url = self.url.clone();
        let _best_effort = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            runtime.map(|r| r.block_on(Postgres::force_drop_database(&url)))
        })
        .join();
    }
}

/// The superuser URL of the server to create databases on (blocks while a cluster starts).
fn server_url() -> String {
    static CLUSTER: OnceLock<String> = OnceLock::new();
    match std::env::var(SERVER_URL) {
        Ok(url) => url,
        Err(_) => CLUSTER.get_or_init(cluster::start).clone(),
    }
}
