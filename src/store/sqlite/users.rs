//! Runtime changes to users (the configured ones are seeded in `accounts`).

use super::SqliteStore;
use super::accounts::{commit_change, insert_user, next_position};
use crate::store::records::Owner;
use crate::store::records::{Change, UserRow};

impl SqliteStore {
    /// Adds a runtime user after all others.
    pub async fn create_user(&self, user: &UserRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM users WHERE uid = ? OR nick = ?")
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

    /// Replaces user `uid` (keeping its place); its uid cannot change.
    pub async fn replace_user(&self, uid: &str, user: &UserRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let clash: Option<String> =
            sqlx::query_scalar("SELECT uid FROM users WHERE nick = ? AND uid <> ?")
                .bind(&user.nick)
                .bind(uid)
                .fetch_optional(&mut *tx)
                .await?;
        if clash.is_some() {
            return Ok(Change::Conflict);
        }
        let updated = sqlx::query(
            "UPDATE users SET nick = ?, email = ?, password_hash = ?, claims = ? WHERE uid = ?",
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

    /// Deletes user `uid` and revokes its refresh tokens, in one transaction.
    pub async fn delete_user(&self, uid: &str, now: i64) -> sqlx::Result<Change> {
        let owner = Owner::User(uid);
        self.delete_revoking(owner, now).await
    }
}
