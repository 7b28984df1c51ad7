//! Queued faults (`docs/protocol.md#faults`). Claiming one is a single `UPDATE ... RETURNING`
//! inside a write transaction, so SQLite hands each remaining use to exactly one request, from
//! whichever process. Every change that adds or removes a pending fault bumps `state_version`,
//! which tells every process to reload its list of pending faults.

use super::SqliteStore;
use super::shared_state::bump_version;
use crate::store::records::{ClaimQuery, FAULT_COLUMNS, FaultRow};

impl SqliteStore {
    /// Stores a fault (`id` and `remaining` of `fault` are ignored); answers its id and how many
    /// faults are now pending on its route, this one included.
    pub async fn insert_fault(&self, fault: &FaultRow) -> sqlx::Result<(i64, i64)> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO faults (route, api_key_hash, api_key_name, user_uid, times, remaining,
                                 action, breaks_token, created_at, client_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&fault.route)
        .bind(&fault.api_key_hash)
        .bind(&fault.api_key_name)
        .bind(&fault.user_uid)
        .bind(fault.times)
        .bind(fault.times)
        .bind(&fault.action)
        .bind(fault.breaks_token)
        .bind(fault.created_at)
        .bind(&fault.client_id)
        .fetch_one(&mut *tx)
        .await?;
        let depth: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM faults WHERE route = ? AND remaining > 0")
                .bind(&fault.route)
                .fetch_one(&mut *tx)
                .await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok((id, depth))
    }

    /// Pending faults, oldest first.
    pub async fn pending_faults(&self) -> sqlx::Result<Vec<FaultRow>> {
        pending_faults(&self.pool).await
    }

    /// Takes one use of the oldest pending fault that matches, if any.
    pub async fn claim_fault(&self, query: ClaimQuery<'_>) -> sqlx::Result<Option<FaultRow>> {
        let mut tx = self.begin_write().await?;
        let claimed: Option<FaultRow> = sqlx::query_as(&format!(
            "UPDATE faults SET remaining = remaining - 1 WHERE id = (
                 SELECT id FROM faults
                 WHERE route = ? AND remaining > 0
                   AND (api_key_hash IS NULL OR api_key_hash = ?)
                   AND (user_uid IS NULL OR user_uid = ?)
                   AND (client_id IS NULL OR client_id = ?)
                   AND (breaks_token = 0 OR ?)
                 ORDER BY id LIMIT 1)
             RETURNING {FAULT_COLUMNS}"
        ))
        .bind(query.route)
        .bind(query.api_key_hash)
        .bind(query.user_uid)
        .bind(query.client_id)
        .bind(query.carries_token)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(fault) = claimed.as_ref().filter(|f| f.remaining == 0) {
            // Used up: gone from every process's list of pending faults.
            sqlx::query("DELETE FROM faults WHERE id = ?")
                .bind(fault.id)
                .execute(&mut *tx)
                .await?;
            bump_version(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// Removes one pending fault; false when there is none with that id.
    pub async fn delete_fault(&self, id: i64) -> sqlx::Result<bool> {
        let mut tx = self.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM faults WHERE id = ? AND remaining > 0")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(deleted > 0)
    }

    /// Removes every pending fault; answers how many there were.
    pub async fn clear_faults(&self) -> sqlx::Result<u64> {
        let mut tx = self.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM faults WHERE remaining > 0")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(deleted)
    }
}

pub(super) async fn pending_faults<'c>(
    executor: impl sqlx::SqliteExecutor<'c>,
) -> sqlx::Result<Vec<FaultRow>> {
    sqlx::query_as(&format!(
        "SELECT {FAULT_COLUMNS} FROM faults WHERE remaining > 0 ORDER BY id"
    ))
    .fetch_all(executor)
    .await
}
