//! Persistence: SQL only (sqlx). Nothing here knows HTTP or JWTs; secrets arrive already hashed.
//!
//! One interface ([`Store`], its operations listed once in `operations.rs`), two backends:
//! SQLite, the embedded default, and PostgreSQL, which several replicas share
//! (`docs/architecture.md#storage`). The database URL's scheme picks the backend.

mod operations;
mod postgres;
mod records;
mod sqlite;

pub use records::{
    ApiKeyRow, ChainRecord, Change, ClaimQuery, ClientRow, ClockRow, CodeRecord, FaultRow,
    FlowKind, FlowRecord, KeyMeta, NewChain, NewRefreshToken, Redemption, RefreshTokenRecord,
    RetiredToken, SessionRecord, Snapshot, StoredKey, StoredLeaf, StoredTls, TokenFilter, UserRow,
};
pub use sqlite::MIN_FREE_BYTES;
pub use sqlite::read_only::note_read_only_failure;

use std::sync::Arc;

use postgres::PgStore;
use sqlite::SqliteStore;

/// Cheap to clone: every clone shares one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Arc<Backend>,
}

#[derive(Debug)]
enum Backend {
    // Boxed: the SQLite store keeps its connect options beside the pool, far larger than a
    // PostgreSQL pool handle.
    Sqlite(Box<SqliteStore>),
    Postgres(PgStore),
}

/// Which backend a database URL names, before anything is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    /// `sqlite:...` or `postgres://...` / `postgresql://...`; `None` for anything else.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

impl Store {
    /// Opens the database at `url` (a SQLite file is created when missing) and brings its
    /// schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let backend = match BackendKind::of_url(url) {
            Some(BackendKind::Sqlite) => {
                Backend::Sqlite(Box::new(SqliteStore::connect(url).await?))
            }
            Some(BackendKind::Postgres) => Backend::Postgres(PgStore::connect(url).await?),
            None => anyhow::bail!("database.url is neither sqlite: nor postgres://"),
        };
        Ok(Self {
            backend: Arc::new(backend),
        })
    }

    pub fn kind(&self) -> BackendKind {
        match *self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Whether the database accepts a write now (readiness).
    pub async fn probe_writable(&self) -> anyhow::Result<()> {
        match &*self.backend {
            Backend::Sqlite(store) => store.probe_writable().await,
            Backend::Postgres(store) => store.probe_writable().await,
        }
    }

    pub async fn close(&self) {
        match &*self.backend {
            Backend::Sqlite(store) => store.close().await,
            Backend::Postgres(store) => store.close().await,
        }
    }

    pub fn is_closed(&self) -> bool {
        match &*self.backend {
            Backend::Sqlite(store) => store.is_closed(),
            Backend::Postgres(store) => store.is_closed(),
        }
    }
}
