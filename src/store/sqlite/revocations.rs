//! Refresh-token metadata and revocation for the control plane. Never returns a token's hash.

use sqlx::QueryBuilder;

use super::SqliteStore;
use crate::store::records::{RefreshTokenRecord, TOKEN_COLUMNS, TokenFilter};

impl SqliteStore {
    /// Matching tokens, newest first.
    pub async fn list_refresh_tokens(
        &self,
        filter: &TokenFilter,
    ) -> sqlx::Result<Vec<RefreshTokenRecord>> {
        let mut query = QueryBuilder::new(format!(
            "SELECT {TOKEN_COLUMNS} FROM refresh_tokens WHERE 1 = 1"
        ));
        push_filter(&mut query, filter);
        query.push(" ORDER BY id DESC");
        query.build_query_as().fetch_all(&self.pool).await
    }

    /// Revokes one token; `None` when there is no such id, else how many were live (0 or 1).
    pub async fn revoke_refresh_token(&self, id: i64, now: i64) -> sqlx::Result<Option<u64>> {
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT 1 FROM refresh_tokens WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !exists {
            tx.rollback().await?;
            return Ok(None);
        }
        let revoked = sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(Some(revoked))
    }

    /// Revokes every live token that matches; answers how many.
    pub async fn revoke_refresh_tokens(&self, filter: &TokenFilter, now: i64) -> sqlx::Result<u64> {
        let mut query = QueryBuilder::new("UPDATE refresh_tokens SET revoked_at = ");
        query.push_bind(now);
        query.push(" WHERE revoked_at IS NULL");
        push_filter(&mut query, filter);
        Ok(query.build().execute(&self.pool).await?.rows_affected())
    }
}

fn push_filter(query: &mut QueryBuilder<'_, sqlx::Sqlite>, filter: &TokenFilter) {
    if let Some(uid) = &filter.user_uid {
        query.push(" AND user_uid = ").push_bind(uid.clone());
    }
    if let Some(hash) = filter.api_key_hash {
        query.push(" AND api_key_hash = ").push_bind(hash.to_vec());
    }
    if let Some(client_id) = &filter.client_id {
        query.push(" AND client_id = ").push_bind(client_id.clone());
    }
}
