//! Runtime changes to users and API keys over the control plane (the configured ones are seeded
//! in `accounts.rs`). Each checks and writes under the write lock, so two replicas cannot both
//! take one nick.

use super::PgStore;
use super::accounts::{insert_key, insert_user, next_position};
use super::shared_state::commit_change;
use crate::store::records::{ApiKeyRow, Change, Owner, UserRow};

impl PgStore {
    pub async fn create_user(&self, user: &UserRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM users WHERE uid = $1 OR ascii_lower(nick) = ascii_lower($2)",
        )
        .bind(&user.uid)
        .bind(&user.nick)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Ok(Change::Conflict);
        }
        let next = next_position(&mut tx, "users").await?;
        insert_user(&mut tx, user, next).await?;
        commit_change(tx).await
    }

    pub async fn replace_user(&self, uid: &str, user: &UserRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let clash: Option<String> = sqlx::query_scalar(
            "SELECT uid FROM users WHERE ascii_lower(nick) = ascii_lower($1) AND uid <> $2",
        )
        .bind(&user.nick)
        .bind(uid)
        .fetch_optional(&mut *tx)
        .await?;
        if clash.is_some() {
            return Ok(Change::Conflict);
        }
        let updated = sqlx::query(
            "UPDATE users SET nick = $1, email = $2, password_hash = $3, claims = $4
             WHERE uid = $5",
        )
        .bind(&user.nick)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(&user.claims)
        .bind(uid)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(Change::NotFound);
        }
        commit_change(tx).await
    }

    pub async fn create_api_key(&self, key: &ApiKeyRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i32> = sqlx::query_scalar("SELECT 1 FROM api_keys WHERE key_hash = $1")
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

    pub async fn replace_api_key(&self, key: &ApiKeyRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE api_keys SET name = $1, permissions = $2, destinations = $3
             WHERE key_hash = $4",
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

    pub async fn delete_user(&self, uid: &str, now: i64) -> sqlx::Result<Change> {
        self.delete_revoking(Owner::User(uid), now).await
    }

    pub async fn delete_api_key(&self, key_hash: &[u8], now: i64) -> sqlx::Result<Change> {
        self.delete_revoking(Owner::ApiKey(key_hash), now).await
    }

    /// Deletes a user or key and revokes the refresh tokens it owns, in one transaction, so no
    /// token outlives its owner even if the owner is created again.
    async fn delete_revoking(&self, owner: Owner<'_>, now: i64) -> sqlx::Result<Change> {
        let (delete, revoke) = match owner {
            Owner::User(_) => (
                "DELETE FROM users WHERE uid = $1",
                "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_uid = $1 AND revoked_at IS NULL",
            ),
            Owner::ApiKey(_) => (
                "DELETE FROM api_keys WHERE key_hash = $1",
                "UPDATE refresh_tokens SET revoked_at = $2 WHERE api_key_hash = $1 AND revoked_at IS NULL",
            ),
        };
        let mut tx = self.begin_write().await?;
        let deleted = bind_owner(owner, sqlx::query(delete))
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Ok(Change::NotFound);
        }
        bind_owner(owner, sqlx::query(revoke))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        commit_change(tx).await
    }
}

/// Binds the owner's id as `$1`: a uid as text, a key hash as bytes.
fn bind_owner<'q>(owner: Owner<'_>, query: PgQuery<'q>) -> PgQuery<'q> {
    match owner {
        Owner::User(uid) => query.bind(uid.to_owned()),
        Owner::ApiKey(hash) => query.bind(hash.to_vec()),
    }
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;
