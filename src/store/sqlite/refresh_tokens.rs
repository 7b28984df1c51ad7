//! Refresh tokens, by hash only (`docs/protocol.md#refresh-tokens`).

use super::SqliteStore;
use crate::store::records::{NewRefreshToken, RefreshTokenRecord, TOKEN_COLUMNS};

impl SqliteStore {
    pub async fn insert_refresh_token(&self, token: &NewRefreshToken) -> sqlx::Result<i64> {
        let mut conn = self.pool.acquire().await?;
        insert_refresh_token(&mut conn, token).await
    }

    pub async fn find_refresh_token(
        &self,
        token_hash: &[u8],
    ) -> sqlx::Result<Option<RefreshTokenRecord>> {
        sqlx::query_as(&format!(
            "SELECT {TOKEN_COLUMNS} FROM refresh_tokens WHERE token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// Records a use. Callers debounce this so `/refresh` does not write on every call.
    pub async fn touch_refresh_token(&self, id: i64, now: i64) -> sqlx::Result<()> {
        sqlx::query("UPDATE refresh_tokens SET last_used_at = ? WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

pub(super) async fn insert_refresh_token(
    conn: &mut sqlx::SqliteConnection,
    token: &NewRefreshToken,
) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, user_uid, api_key_hash, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&token.token_hash[..])
    .bind(&token.user_uid)
    .bind(&token.api_key_hash[..])
    .bind(token.created_at)
    .bind(token.expires_at)
    .execute(conn)
    .await?;
    Ok(row.last_insert_rowid())
}
