//! Rotating refresh-token chains (`docs/protocol.md#rotating-refresh-tokens`): one row of
//! `refresh_tokens` per chain, whose `token_hash` is the current token; a rotation is a
//! compare-and-swap of it, so of many concurrent refreshes exactly one wins.

use super::SqliteStore;
use crate::store::records::{CHAIN_COLUMNS, ChainRecord, NewChain, RetiredToken};

impl SqliteStore {
    pub async fn insert_chain(&self, chain: &NewChain) -> sqlx::Result<i64> {
        let done = sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, user_uid, created_at, expires_at, client_id,
                 sid, scope, nonce, auth_time)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&chain.token_hash[..])
        .bind(&chain.user_uid)
        .bind(chain.created_at)
        .bind(chain.expires_at)
        .bind(&chain.client_id)
        .bind(&chain.sid)
        .bind(&chain.scope)
        .bind(&chain.nonce)
        .bind(chain.auth_time)
        .execute(&self.pool)
        .await?;
        Ok(done.last_insert_rowid())
    }

    /// The chain whose current token has this hash.
    pub async fn find_chain(&self, token_hash: &[u8]) -> sqlx::Result<Option<ChainRecord>> {
        sqlx::query_as(&format!(
            "SELECT {CHAIN_COLUMNS} FROM refresh_tokens
             WHERE token_hash = ? AND client_id IS NOT NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// A token some chain rotated away from, with that chain.
    pub async fn find_retired_token(
        &self,
        token_hash: &[u8],
    ) -> sqlx::Result<Option<RetiredToken>> {
        let row: Option<(i64, i64, Vec<u8>)> = sqlx::query_as(
            "SELECT chain_id, retired_at, successor_sealed FROM retired_refresh_tokens
             WHERE token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some((chain_id, retired_at, successor_sealed)) = row else {
            return Ok(None);
        };
        let chain: Option<ChainRecord> = sqlx::query_as(&format!(
            "SELECT {CHAIN_COLUMNS} FROM refresh_tokens WHERE id = ? AND client_id IS NOT NULL"
        ))
        .bind(chain_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(chain.map(|chain| RetiredToken {
            chain,
            retired_at,
            successor_sealed,
        }))
    }

    /// Moves chain `chain_id` from `old_hash` to `new_hash` if `old_hash` is still its live
    /// current token, and remembers `old_hash` as retired; false when another refresh (or a
    /// revocation) got there first.
    pub async fn rotate_chain(
        &self,
        chain_id: i64,
        old_hash: &[u8],
        new_hash: &[u8; 32],
        successor_sealed: &[u8],
        now: i64,
    ) -> sqlx::Result<bool> {
        let mut tx = self.begin_write().await?;
        let expires_at: Option<i64> = sqlx::query_scalar(
            "UPDATE refresh_tokens SET token_hash = ?, last_used_at = ?, rotations = rotations + 1
             WHERE id = ? AND token_hash = ? AND revoked_at IS NULL RETURNING expires_at",
        )
        .bind(&new_hash[..])
        .bind(now)
        .bind(chain_id)
        .bind(old_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(expires_at) = expires_at else {
            tx.rollback().await?;
            return Ok(false);
        };
        sqlx::query(
            "INSERT INTO retired_refresh_tokens (token_hash, chain_id, retired_at,
                 chain_expires_at, successor_sealed)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(old_hash)
        .bind(chain_id)
        .bind(now)
        .bind(expires_at)
        .bind(successor_sealed)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Revokes a live chain, saying why; false when it was revoked already.
    pub async fn revoke_chain(&self, chain_id: i64, reason: &str, now: i64) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = ?, revoked_reason = ?
             WHERE id = ? AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(reason)
        .bind(chain_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether client `client_id` holds a live chain of session `sid` (what userinfo and
    /// introspection ask of an access token).
    pub async fn session_chain_live(
        &self,
        sid: &str,
        client_id: &str,
        now: i64,
    ) -> sqlx::Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM refresh_tokens WHERE sid = ? AND client_id = ?
             AND revoked_at IS NULL AND expires_at > ? LIMIT 1",
        )
        .bind(sid)
        .bind(client_id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Logout: ends the SSO session `sid` and revokes its chains, but offline ones
    /// (`offline_access`), as Keycloak does; answers how many chains it revoked.
    pub async fn end_session(&self, sid: &str, now: i64) -> sqlx::Result<u64> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE sid = ?")
            .bind(sid)
            .execute(&mut *tx)
            .await?;
        let revoked = sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = ?, revoked_reason = 'logout'
             WHERE sid = ? AND revoked_at IS NULL
               AND (' ' || scope || ' ') NOT LIKE '% offline_access %'",
        )
        .bind(now)
        .bind(sid)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(revoked)
    }
}
