//! Runtime changes to API keys (looked up by the key's SHA-256; the key is never stored).

use super::SqliteStore;
use super::accounts::{commit_change, insert_key, next_position};
use crate::store::records::Owner;
use crate::store::records::{ApiKeyRow, Change};

impl SqliteStore {
    /// Adds a runtime key after all others.
    pub async fn create_api_key(&self, key: &ApiKeyRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM api_keys WHERE key_hash = ?")
            .bind(&key.key_hash)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Ok(Change::Conflict);
        }
        let next = next_position(&mut tx, "api_keys").await?;
        insert_key(&mut tx, key, next).await?;
        commit_change(tx).await
    }

    /// Replaces the name, permissions and destinations of the key with this hash.
    pub async fn replace_api_key(&self, key: &ApiKeyRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE api_keys SET name = ?, permissions = ?, destinations = ? WHERE key_hash = ?",
        )
        .bind(&key.name)
        .bind(&key.permissions)
        .bind(&key.destinations)
        .bind(&key.key_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(Change::NotFound);
        }
        commit_change(tx).await
    }

    /// Deletes the key and revokes the refresh tokens bound to it, in one transaction.
    pub async fn delete_api_key(&self, key_hash: &[u8], now: i64) -> sqlx::Result<Change> {
        self.delete_revoking(Owner::ApiKey(key_hash), now).await
    }
}
