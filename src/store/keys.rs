//! The generated signing key, shared by every process on one database.

use super::Store;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredKey {
    pub kid: String,
    pub private_pem: String,
}

impl Store {
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
