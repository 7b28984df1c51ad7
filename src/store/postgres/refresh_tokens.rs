//! Refresh tokens, by hash only, and their revocation (`docs/protocol.md#refresh-tokens`).

use sqlx::QueryBuilder;

use super::PgStore;
use crate::store::records::{NewRefreshToken, RefreshTokenRecord, TOKEN_COLUMNS, TokenFilter};

impl PgStore {
    pub async fn insert_refresh_token(&self, token: &NewRefreshToken) -> sqlx::Result<i64> {
        let mut conn = self.pool.acquire().await?;
        insert_refresh_token(&mut conn, token).await
    }

    pub async fn find_refresh_token(
        &self,
        token_hash: &[u8],
    ) -> sqlx::Result<Option<RefreshTokenRecord>> {
        // A literal, not `format!`: this runs on every `/refresh`.
        sqlx::query_as(
            "SELECT id, user_uid, api_key_hash, created_at, expires_at, last_used_at, revoked_at,
                    client_id, rotations, revoked_reason
             FROM refresh_tokens WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn touch_refresh_token(&self, id: i64, now: i64) -> sqlx::Result<()> {
        sqlx::query("UPDATE refresh_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn list_refresh_tokens(
        &self,
        filter: &TokenFilter,
    ) -> sqlx::Result<Vec<RefreshTokenRecord>> {
        let mut query = QueryBuilder::new(format!(
            "SELECT {TOKEN_COLUMNS} FROM refresh_tokens WHERE TRUE"
        ));
        push_filter(&mut query, filter);
        query.push(" ORDER BY id DESC");
        query.build_query_as().fetch_all(&self.pool).await
    }

    pub async fn revoke_refresh_token(&self, id: i64, now: i64) -> sqlx::Result<Option<u64>> {
        // One statement: the CTE revokes the token if it is live, the SELECT says whether the
        // id exists at all.
        let (exists, revoked): (bool, i64) = sqlx::query_as(
            "WITH revoked AS (
                 UPDATE refresh_tokens SET revoked_at = $1
                 WHERE id = $2 AND revoked_at IS NULL RETURNING id)
             SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE id = $2),
                    (SELECT COUNT(*) FROM revoked)",
        )
        .bind(now)
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(exists.then_some(revoked as u64))
    }

    pub async fn revoke_refresh_tokens(&self, filter: &TokenFilter, now: i64) -> sqlx::Result<u64> {
        let mut query = QueryBuilder::new("UPDATE refresh_tokens SET revoked_at = ");
        query.push_bind(now);
        query.push(" WHERE revoked_at IS NULL");
        push_filter(&mut query, filter);
        Ok(query.build().execute(&self.pool).await?.rows_affected())
    }
}

fn push_filter(query: &mut QueryBuilder<'_, sqlx::Postgres>, filter: &TokenFilter) {
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

pub(super) async fn insert_refresh_token(
    conn: &mut sqlx::PgConnection,
    token: &NewRefreshToken,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO refresh_tokens (token_hash, user_uid, api_key_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&token.token_hash[..])
    .bind(&token.user_uid)
    .bind(&token.api_key_hash[..])
    .bind(token.created_at)
    .bind(token.expires_at)
    .fetch_one(conn)
    .await
}
