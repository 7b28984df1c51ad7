//! The version counter every runtime change bumps, and the stored clock.

use super::SqliteStore;
use crate::store::records::{ClockRow, RESET_STATEMENTS, Snapshot};

impl SqliteStore {
    /// The current version of the shared state; it changes with every runtime change.
    pub async fn state_version(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT version FROM state_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await
    }

    pub async fn set_clock(&self, clock: ClockRow) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE clock SET offset_seconds = ?, frozen_at = ? WHERE id = 1")
            .bind(clock.offset_seconds)
            .bind(clock.frozen_at)
            .execute(&mut *tx)
            .await?;
        bump_version(&mut tx).await?;
        tx.commit().await
    }
}

/// Part of every transaction that changes shared state, so other processes notice it.
pub(super) async fn bump_version(conn: &mut sqlx::SqliteConnection) -> sqlx::Result<()> {
    sqlx::query("UPDATE state_version SET version = version + 1 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

impl SqliteStore {
    pub async fn snapshot(&self) -> sqlx::Result<Snapshot> {
        let mut tx = self.pool.begin().await?;
        let version = sqlx::query_scalar("SELECT version FROM state_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let (users, keys) = super::accounts::read_accounts(&mut tx).await?;
        let clients = super::clients::read_clients(&mut tx).await?;
        let clock = sqlx::query_as("SELECT offset_seconds, frozen_at FROM clock WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let signing_keys = super::keys::key_metas(&mut tx).await?;
        let faults = super::faults::pending_faults(&mut *tx).await?;
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
}

impl SqliteStore {
    /// Back to the configured state in one transaction: only the configured users and keys,
    /// no refresh tokens, sessions, flows or faults, the clock at wall time. Signing keys stay.
    pub async fn reset(&self) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        for statement in RESET_STATEMENTS {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await
    }
}
