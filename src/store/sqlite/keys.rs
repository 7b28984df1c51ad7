//! The generated signing key, shared by every process on one database.

use super::SqliteStore;
use crate::store::records::{KeyMeta, StoredKey};

impl SqliteStore {
    /// The active generated key, if any.
    pub async fn active_key(&self) -> sqlx::Result<Option<StoredKey>> {
        sqlx::query_as("SELECT kid, private_pem FROM signing_keys WHERE active = 1")
            .fetch_optional(&self.pool)
            .await
    }

    /// Stores `candidate` as the active key unless another process got there first; returns
    /// whichever key is active afterwards.
    pub async fn install_key_if_none(
        &self,
        candidate: &StoredKey,
        now: i64,
    ) -> sqlx::Result<StoredKey> {
        sqlx::query(
            "INSERT INTO signing_keys (kid, private_pem, active, created_at) VALUES (?, ?, 1, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(&candidate.kid)
        .bind(&candidate.private_pem)
        .bind(now)
        .execute(&self.pool)
        .await?;
        sqlx::query_as("SELECT kid, private_pem FROM signing_keys WHERE active = 1")
            .fetch_one(&self.pool)
            .await
    }
}

impl SqliteStore {
    /// Every stored key, newest first.
    pub async fn key_metas(&self) -> sqlx::Result<Vec<KeyMeta>> {
        let mut conn = self.pool.acquire().await?;
        key_metas(&mut conn).await
    }

    /// PEMs of the active key and of every retired one, by kid.
    pub async fn key_pems(&self) -> sqlx::Result<Vec<(String, String)>> {
        sqlx::query_as("SELECT kid, private_pem FROM signing_keys")
            .fetch_all(&self.pool)
            .await
    }

    /// Makes `new` the active key; the old one stays published until `retire_at`.
    pub async fn rotate_key(&self, new: &StoredKey, now: i64, retire_at: i64) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE signing_keys SET active = 0, retired_at = ? WHERE active = 1")
            .bind(retire_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO signing_keys (kid, private_pem, active, created_at) VALUES (?, ?, 1, ?)",
        )
        .bind(&new.kid)
        .bind(&new.private_pem)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        super::shared_state::bump_version(&mut tx).await?;
        tx.commit().await
    }
}

pub(super) async fn key_metas(conn: &mut sqlx::SqliteConnection) -> sqlx::Result<Vec<KeyMeta>> {
    sqlx::query_as(
        "SELECT kid, active, created_at, retired_at FROM signing_keys
         ORDER BY active DESC, created_at DESC, kid",
    )
    .fetch_all(conn)
    .await
}
