//! Authorization codes, by hash; single use (`docs/protocol.md#authorization-codes`).

use super::PgStore;
use crate::store::records::{CODE_COLUMNS, CodeRecord, Redemption};

impl PgStore {
    pub async fn insert_code(&self, code: &CodeRecord) -> sqlx::Result<()> {
        let mut conn = self.pool.acquire().await?;
        insert_code(&mut conn, code).await
    }

    /// Presents a code. Its first use marks it used and makes its chain in one transaction, so
    /// a replay that comes after always finds the chain to revoke.
    pub async fn redeem_code(
        &self,
        code_hash: &[u8],
        now: i64,
        token_hash: &[u8; 32],
        max_age: i64,
    ) -> sqlx::Result<Redemption> {
        // Row locks suffice: the UPDATE ... WHERE used_at IS NULL hands the first use to one caller.
        let mut tx = self.pool.begin().await?;
        let first: Option<CodeRecord> = sqlx::query_as(&format!(
            "UPDATE authorization_codes SET used_at = $1
             WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $3 RETURNING {CODE_COLUMNS}"
        ))
        .bind(now)
        .bind(code_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(code) = first {
            let chain_id: i64 = sqlx::query_scalar(
                "INSERT INTO refresh_tokens (token_hash, user_uid, created_at, expires_at,
                     client_id, sid, scope, nonce, auth_time)
                 SELECT $1, user_uid, $2, auth_time + $3, client_id, sid, scope, nonce, auth_time
                 FROM authorization_codes WHERE code_hash = $4 RETURNING id",
            )
            .bind(&token_hash[..])
            .bind(now)
            .bind(max_age)
            .bind(code_hash)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE authorization_codes SET chain_id = $1 WHERE code_hash = $2")
                .bind(chain_id)
                .bind(code_hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(Redemption::First { code, chain_id });
        }
        let used: Option<CodeRecord> = sqlx::query_as(&format!(
            "SELECT {CODE_COLUMNS} FROM authorization_codes
             WHERE code_hash = $1 AND used_at IS NOT NULL"
        ))
        .bind(code_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(code) = used else {
            tx.rollback().await?;
            return Ok(Redemption::Unknown);
        };
        sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = $1, revoked_reason = 'code_replay'
             WHERE revoked_at IS NULL
               AND id = (SELECT chain_id FROM authorization_codes WHERE code_hash = $2)",
        )
        .bind(now)
        .bind(code_hash)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Redemption::Replayed { code })
    }
}

pub(super) async fn insert_code(
    conn: &mut sqlx::PgConnection,
    code: &CodeRecord,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, code_challenge,
             nonce, scope, user_uid, sid, auth_time, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&code.code_hash)
    .bind(&code.client_id)
    .bind(&code.redirect_uri)
    .bind(&code.code_challenge)
    .bind(&code.nonce)
    .bind(&code.scope)
    .bind(&code.user_uid)
    .bind(&code.sid)
    .bind(code.auth_time)
    .bind(code.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}
