//! Queued faults (`docs/protocol.md#faults`). A claim is one `UPDATE ... RETURNING` under the
//! write lock, so each remaining use goes to exactly one request, from whichever replica.

use sqlx::PgConnection;

use super::PgStore;
use super::shared_state::bump_version;
use crate::store::records::{ClaimQuery, FAULT_COLUMNS, FaultRow};

impl PgStore {
    pub async fn insert_fault(&self, fault: &FaultRow) -> sqlx::Result<(i64, i64)> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO faults (route, api_key_hash, api_key_name, user_uid, times, remaining,
                                 action, breaks_token, created_at, client_id)
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&fault.route)
        .bind(&fault.api_key_hash)
        .bind(&fault.api_key_name)
        .bind(&fault.user_uid)
        .bind(fault.times)
        .bind(&fault.action)
        .bind(fault.breaks_token)
        .bind(fault.created_at)
        .bind(&fault.client_id)
        .fetch_one(&mut *tx)
        .await?;
        let depth: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM faults WHERE route = $1 AND remaining > 0")
                .bind(&fault.route)
                .fetch_one(&mut *tx)
                .await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok((id, depth))
    }

    pub async fn pending_faults(&self) -> sqlx::Result<Vec<FaultRow>> {
        let mut conn = self.pool.acquire().await?;
        pending_faults(&mut conn).await
    }

    pub async fn claim_fault(&self, query: ClaimQuery<'_>) -> sqlx::Result<Option<FaultRow>> {
        let mut tx = self.begin_write().await?;
        let claimed: Option<FaultRow> = sqlx::query_as(&format!(
            "UPDATE faults SET remaining = remaining - 1 WHERE id = (
                 SELECT id FROM faults
                 WHERE route = $1 AND remaining > 0
                   AND (api_key_hash IS NULL OR api_key_hash = $2)
                   AND (user_uid IS NULL OR user_uid = $3)
                   AND (client_id IS NULL OR client_id = $5)
                   AND (NOT breaks_token OR $4)
                 ORDER BY id LIMIT 1)
             RETURNING {FAULT_COLUMNS}"
        ))
        .bind(query.route)
        .bind(query.api_key_hash)
        .bind(query.user_uid)
        .bind(query.carries_token)
        .bind(query.client_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(fault) = claimed.as_ref().filter(|f| f.remaining == 0) {
            // Used up: gone from every process's list of pending faults.
            sqlx::query("DELETE FROM faults WHERE id = $1")
                .bind(fault.id)
                .execute(&mut *tx)
                .await?;
            bump_version(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(claimed)
    }

    pub async fn delete_fault(&self, id: i64) -> sqlx::Result<bool> {
        let mut tx = self.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM faults WHERE id = $1 AND remaining > 0")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(deleted > 0)
    }

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

pub(super) async fn pending_faults(conn: &mut PgConnection) -> sqlx::Result<Vec<FaultRow>> {
    sqlx::query_as(&format!(
        "SELECT {FAULT_COLUMNS} FROM faults WHERE remaining > 0 ORDER BY id"
    ))
    .fetch_all(conn)
    .await
}
