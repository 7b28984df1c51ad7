//! Which database the replicas share: a SQLite file, or a PostgreSQL database of the throwaway
//! cluster of `tests/common/postgres.rs`. Each case runs on both (the `on_both_backends!` macro
//! of `main.rs`).

use tempfile::TempDir;

use crate::postgres::{TestDatabase, fresh_database};

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database the replicas share; dropping it removes it.
pub enum Database {
    /// A SQLite file in a temporary directory.
    Sqlite {
        url: String,
        _dir: TempDir,
    },
    Postgres(TestDatabase),
}

impl Database {
    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite { url, .. } => url,
            Self::Postgres(database) => &database.url,
        }
    }
}

/// A new, empty database of `backend`.
pub async fn database_url(backend: Backend) -> Database {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a database directory");
            let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
            Database::Sqlite { url, _dir: dir }
        }
        Backend::Postgres => Database::Postgres(fresh_database().await),
    }
}
