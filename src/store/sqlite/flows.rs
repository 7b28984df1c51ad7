//! Login and logout flows: one server-side record per flow (`docs/protocol.md#connect`,
//! `docs/protocol.md#logout`).

use super::SqliteStore;
use super::codes::insert_code;
use super::refresh_tokens::insert_refresh_token;
use super::sessions::insert_session;
use crate::store::records::{
    CodeRecord, FLOW_COLUMNS, FlowKind, FlowRecord, NewRefreshToken, SessionRecord,
};

impl SqliteStore {
    /// Stores a new flow and drops expired ones so the table stays small.
    pub async fn insert_flow(
        &self,
        kind: FlowKind,
        flow: &FlowRecord,
        now: i64,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO flows (id, kind, destination, api_key_hash, lang, browser_hash,
                                created_at, expires_at, \"authorization\")
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&flow.id)
        .bind(kind.as_str())
        .bind(&flow.destination)
        .bind(&flow.api_key_hash)
        .bind(&flow.lang)
        .bind(&flow.browser_hash)
        .bind(now)
        .bind(flow.expires_at)
        .bind(&flow.authorization)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A flow that has not expired yet.
    pub async fn find_flow(
        &self,
        kind: FlowKind,
        id: &str,
        now: i64,
    ) -> sqlx::Result<Option<FlowRecord>> {
        sqlx::query_as(&format!(
            "SELECT {FLOW_COLUMNS} FROM flows WHERE id = ? AND kind = ? AND expires_at > ?"
        ))
        .bind(id)
        .bind(kind.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }

    /// Consumes a flow: at most one caller ever gets it.
    pub async fn take_flow(
        &self,
        kind: FlowKind,
        id: &str,
        now: i64,
    ) -> sqlx::Result<Option<FlowRecord>> {
        let mut conn = self.pool.acquire().await?;
        take_flow(&mut conn, kind, id, now).await
    }

    pub async fn delete_flow(&self, id: &str) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM flows WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Finishes a login atomically: consumes the flow, replaces the browser's session, and
    /// stores the refresh token or the authorization code. `false` when the flow was already
    /// used or has expired.
    pub async fn finish_login(
        &self,
        flow_id: &str,
        now: i64,
        old_session_hash: Option<[u8; 32]>,
        session: &SessionRecord,
        refresh: Option<&NewRefreshToken>,
        code: Option<&CodeRecord>,
    ) -> sqlx::Result<bool> {
        let mut tx = self.begin_write().await?;
        if take_flow(&mut tx, FlowKind::Login, flow_id, now)
            .await?
            .is_none()
        {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(old) = old_session_hash {
            sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
                .bind(&old[..])
                .execute(&mut *tx)
                .await?;
        }
        insert_session(&mut tx, session).await?;
        if let Some(token) = refresh {
            insert_refresh_token(&mut tx, token).await?;
        }
        if let Some(code) = code {
            insert_code(&mut tx, code).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

async fn take_flow(
    conn: &mut sqlx::SqliteConnection,
    kind: FlowKind,
    id: &str,
    now: i64,
) -> sqlx::Result<Option<FlowRecord>> {
    sqlx::query_as(&format!(
        "DELETE FROM flows WHERE id = ? AND kind = ? AND expires_at > ? RETURNING {FLOW_COLUMNS}"
    ))
    .bind(id)
    .bind(kind.as_str())
    .bind(now)
    .fetch_optional(conn)
    .await
}
