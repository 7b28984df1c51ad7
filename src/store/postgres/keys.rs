//! The generated signing key, one active per database whatever the number of replicas.

use super::PgStore;
use super::shared_state::bump_version;
use crate::store::records::{KeyMeta, StoredKey};

impl PgStore {
    pub async fn active_key(&self) -> sqlx::Result<Option<StoredKey>> {
        sqlx::query_as("SELECT kid, private_pem FROM signing_keys WHERE active")
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn install_key_if_none(
        &self,
        candidate: &StoredKey,
        now: i64,
    ) -> sqlx::Result<StoredKey> {
        // A replica racing this one waits on the unique index until the first insert commits,
        // then inserts nothing: both read the same winner below.
        sqlx::query(
            "INSERT INTO signing_keys (kid, private_pem, active, created_at)
             VALUES ($1, $2, TRUE, $3) ON CONFLICT DO NOTHING",
        )
        .bind(&candidate.kid)
        .bind(&candidate.private_pem)
        .bind(now)
        .execute(&self.pool)
        .await?;
        sqlx::query_as("SELECT kid, private_pem FROM signing_keys WHERE active")
            .fetch_one(&self.pool)
            .await
    }

    pub async fn key_metas(&self) -> sqlx::Result<Vec<KeyMeta>> {
        let mut conn = self.pool.acquire().await?;
        key_metas(&mut conn).await
    }

    pub async fn key_pems(&self) -> sqlx::Result<Vec<(String, String)>> {
        sqlx::query_as("SELECT kid, private_pem FROM signing_keys")
            .fetch_all(&self.pool)
            .await
    }

    pub async fn rotate_key(&self, new: &StoredKey, now: i64, retire_at: i64) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE signing_keys SET active = FALSE, retired_at = $1 WHERE active")
            .bind(retire_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO signing_keys (kid, private_pem, active, created_at)
             VALUES ($1, $2, TRUE, $3)",
        )
        .bind(&new.kid)
        .bind(&new.private_pem)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        bump_version(&mut tx).await?;
        tx.commit().await
    }
}

/// Newest first; kids compare bytewise (`COLLATE "C"`), as SQLite compares them, whatever the
/// database's locale.
pub(super) async fn key_metas(conn: &mut sqlx::PgConnection) -> sqlx::Result<Vec<KeyMeta>> {
    sqlx::query_as(
        r#"SELECT kid, active, created_at, retired_at FROM signing_keys
           ORDER BY active DESC, created_at DESC, kid COLLATE "C""#,
    )
    .fetch_all(conn)
    .await
}
