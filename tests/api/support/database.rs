//! Which database the in-process test servers use. By default each gets a SQLite file of its
//! own (the library's `TestServer` default). With `UITID_TEST_DATABASE=postgres` each gets a
//! fresh database of the throwaway PostgreSQL (`tests/common/postgres.rs`), so the whole suite
//! checks that the two backends behave the same (`docs/architecture.md#storage`); tests that
//! open the SQLite file themselves are skipped by name in that run (`.ci/run`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use super::postgres::{TestDatabase, fresh_database};

/// Whether this run puts the servers on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("UITID_TEST_DATABASE").is_ok_and(|backend| backend == "postgres")
}

/// A fresh PostgreSQL database for one server, or `None` on SQLite.
pub async fn own_database() -> Option<TestDatabase> {
    if on_postgres() {
        Some(fresh_database().await)
    } else {
        None
    }
}

/// The PostgreSQL database standing for the SQLite file in `dir`, shared by every server
/// started "in" that directory (several processes on one database), made on first use and
/// kept until the test process ends.
pub async fn database_of_dir(dir: &Path) -> Option<String> {
    static BY_DIR: LazyLock<Mutex<HashMap<PathBuf, String>>> = LazyLock::new(Default::default);
    if !on_postgres() {
        return None;
    }
    if let Some(url) = BY_DIR.lock().unwrap().get(dir) {
        return Some(url.clone());
    }
    let database = fresh_database().await;
    let url = database.url.clone();
    // Leaked on purpose: it must outlive every server of the directory; the cluster goes with
    // the run.
    std::mem::forget(database);
    let mut by_dir = BY_DIR.lock().unwrap();
    Some(by_dir.entry(dir.to_owned()).or_insert(url).clone())
}
