//! The PostgreSQL backend: one database that any number of replicas share
//! (`docs/architecture.md#storage`). Same operations and behaviour as the SQLite backend; where
//! SQLite's single writer gives an operation its atomicity for free, a transaction-scoped
//! advisory lock gives it here.

mod accounts;
mod chains;
mod changes;
mod clients;
mod codes;
mod faults;
mod flows;
mod keys;
mod refresh_tokens;
mod shared_state;
mod tls;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::config::redacted_database_url as redacted;

/// How long a request waits for a connection before the database counts as unavailable (503).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections per process: three replicas stay far below PostgreSQL's default 100.
const MAX_CONNECTIONS: u32 = 10;
/// The advisory lock every write transaction takes (any constant; this one is "uitid" in ASCII).
const WRITE_LOCK: i64 = 0x0075_6974_6964;

#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects and applies the migrations; sqlx holds an advisory lock while it migrates, so
    /// replicas starting together take turns and the later ones find the schema ready.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .with_context(|| {
                format!(
                    "database.url {} is not a valid PostgreSQL URL",
                    redacted(url)
                )
            })?
            .application_name("uitid-emulator");
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .with_context(|| format!("cannot connect to the database {}", redacted(url)))?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .context("cannot apply the database migrations")?;
        Ok(Self { pool })
    }

    /// A write transaction that runs alone among this database's write transactions, as
    /// SQLite's `BEGIN IMMEDIATE` does: check-then-write operations (a nick still free, a
    /// fault's last use) cannot interleave across replicas.
    async fn begin_write(&self) -> sqlx::Result<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// Whether the database accepts a write now (readiness): a one-row write, rolled back.
    pub async fn probe_writable(&self) -> anyhow::Result<()> {
        let probe = async {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO health_probe (id, checked_at)
                 VALUES (1, extract(epoch FROM now())::BIGINT)
                 ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
            )
            .execute(&mut *tx)
            .await?;
            tx.rollback().await
        };
        // Readiness answers within the healthcheck's 3 s even when the server hangs.
        tokio::time::timeout(Duration::from_secs(2), probe)
            .await
            .context("the database did not answer within 2 s")??;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub fn is_closed(&self) -> bool {
        self.pool.is_closed()
    }
}
