//! The SQLite backend: the embedded default, one file (WAL beside it) that several processes on
//! one machine can share (`docs/architecture.md#storage`).

mod accounts;
mod api_keys;
mod chains;
mod clients;
mod codes;
mod faults;
mod flows;
mod keys;
pub(super) mod read_only;
mod refresh_tokens;
mod revocations;
mod sessions;
mod shared_state;
mod tls;
mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Sqlite, SqlitePool, Transaction};

/// How long a writer waits for SQLite's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long readiness waits for the lock before calling the database not writable.
const PROBE_BUSY_TIMEOUT: Duration = Duration::from_secs(1);
/// Free space below which readiness calls the database not writable: a probe's one-row write
/// can still succeed on a full disk (it reuses pages), while issuing a token needs new ones.
pub const MIN_FREE_BYTES: u64 = 1024 * 1024;

#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    options: SqliteConnectOptions,
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `url` and runs the migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("database.url {url:?} is not a valid SQLite URL"))?
            .create_if_missing(true)
            // WAL lets readers run beside the writer; NORMAL is durable against process crashes.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        if let Some(dir) = options
            .get_filename()
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).with_context(|| {
                format!("cannot create the database directory {}", dir.display())
            })?;
        }
        let lock = lock_initialisation(options.get_filename()).await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // A connection open when a write failed as read-only may be unable to write for
            // good: close it rather than hand it out again (`read_only.rs`).
            .after_release(|_, meta| {
                Box::pin(async move { Ok(!read_only::open_at_last_failure(meta.age)) })
            })
            .connect_with(options.clone())
            .await
            .with_context(|| format!("cannot open the database {url}"))?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .context("cannot apply the database migrations")?;
        drop(lock);
        Ok(Self { pool, options })
    }

    /// A write transaction that takes SQLite's write lock up front: a deferred transaction
    /// that reads first fails with SQLITE_BUSY at once instead of honouring busy_timeout.
    async fn begin_write(&self) -> sqlx::Result<Transaction<'static, Sqlite>> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Whether the database accepts a write (readiness). Uses a fresh connection: pooled ones
    /// keep the write access they were opened with even after the file is made read-only.
    pub async fn probe_writable(&self) -> anyhow::Result<()> {
        // A probe answers within the healthcheck's 3 s even when another process holds the lock.
        let options = self
            .options
            .clone()
            .create_if_missing(false)
            .busy_timeout(PROBE_BUSY_TIMEOUT);
        let mut conn = tokio::time::timeout(PROBE_BUSY_TIMEOUT * 2, options.connect()).await??;
        let mut tx = sqlx::Connection::begin_with(&mut conn, "BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT INTO health_probe (id, checked_at) VALUES (1, unixepoch())
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        )
        .execute(&mut *tx)
        .await?;
        tx.rollback().await?;
        sqlx::Connection::close(conn).await?;
        let free = self.free_space()?;
        anyhow::ensure!(
            free >= MIN_FREE_BYTES,
            "only {free} bytes free on the database's filesystem (at least {MIN_FREE_BYTES} needed)"
        );
        Ok(())
    }

    /// Bytes an unprivileged writer may still use on the database's filesystem (all of them
    /// for an in-memory database).
    fn free_space(&self) -> anyhow::Result<u64> {
        let file = self.options.get_filename();
        if file.as_os_str().is_empty() || file == Path::new(":memory:") {
            return Ok(u64::MAX);
        }
        let dir = file.parent().filter(|d| !d.as_os_str().is_empty());
        let stats = rustix::fs::statvfs(dir.unwrap_or(Path::new(".")))
            .context("cannot read the free space of the database's filesystem")?;
        Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub fn is_closed(&self) -> bool {
        self.pool.is_closed()
    }
}

/// Two replicas starting on one empty database would both switch it to WAL (which needs an
/// exclusive lock and can fail with SQLITE_BUSY at once) and both apply the migrations (sqlx
/// takes no lock for SQLite). An advisory lock on a file next to the database makes them take
/// turns; the second finds the database ready.
async fn lock_initialisation(database: &Path) -> anyhow::Result<Option<std::fs::File>> {
    if database.as_os_str().is_empty() || database == Path::new(":memory:") {
        return Ok(None);
    }
    let mut path = database.as_os_str().to_owned();
    path.push(".migrate-lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create the migration lock {}", path.display()))?;
    let file = tokio::task::spawn_blocking(move || file.lock().map(|()| file)).await??;
    Ok(Some(file))
}
