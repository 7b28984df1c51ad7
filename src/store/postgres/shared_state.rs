//! The version counter every runtime change bumps, the stored clock, the snapshot each process
//! caches, and the reset.

use sqlx::{PgConnection, Postgres, Transaction};

use super::PgStore;
use crate::store::records::{Change, ClockRow, RESET_STATEMENTS, Snapshot};

impl PgStore {
    pub async fn state_version(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT version FROM state_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await
    }

    pub async fn set_clock(&self, clock: ClockRow) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE clock SET offset_seconds = $1, frozen_at = $2 WHERE id = 1")
            .bind(clock.offset_seconds)
            .bind(clock.frozen_at)
            .execute(&mut *tx)
            .await?;
        bump_version(&mut tx).await?;
        tx.commit().await
    }

    pub async fn snapshot(&self) -> sqlx::Result<Snapshot> {
        // PostgreSQL's default isolation gives each statement its own view; one view for all
        // of them keeps the parts consistent with `version`.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        let version = sqlx::query_scalar("SELECT version FROM state_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let (users, keys) = super::accounts::read_accounts(&mut tx).await?;
        let clients = super::clients::read_clients(&mut tx).await?;
        let clock = sqlx::query_as("SELECT offset_seconds, frozen_at FROM clock WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let signing_keys = super::keys::key_metas(&mut tx).await?;
        let faults = super::faults::pending_faults(&mut tx).await?;
        tx.commit().await?;
        Ok(Snapshot {
            version,
            users,
            keys,
            clients,
            clock,
            signing_keys,
            faults,
        })
    }

    pub async fn reset(&self) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        for statement in RESET_STATEMENTS {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await
    }
}

/// Part of every transaction that changes shared state, so other processes notice it.
pub(super) async fn bump_version(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query("UPDATE state_version SET version = version + 1 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// How every runtime change ends: the version moves, so other processes reload, then commit.
pub(super) async fn commit_change(mut tx: Transaction<'static, Postgres>) -> sqlx::Result<Change> {
    bump_version(&mut tx).await?;
    tx.commit().await?;
    Ok(Change::Done)
}
