//! Login and logout flows, and SSO sessions (`docs/protocol.md#connect`,
//! `docs/protocol.md#logout`).

use super::PgStore;
use super::codes::insert_code;
use super::refresh_tokens::insert_refresh_token;
use crate::store::records::{
    CodeRecord, FLOW_COLUMNS, FlowKind, FlowRecord, NewRefreshToken, PRUNED, SESSION_COLUMNS,
    SessionRecord,
};

impl PgStore {
    pub async fn insert_flow(
        &self,
        kind: FlowKind,
        flow: &FlowRecord,
        now: i64,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO flows (id, kind, destination, api_key_hash, lang, browser_hash,
                                created_at, expires_at, \"authorization\")
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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

    pub async fn find_flow(
        &self,
        kind: FlowKind,
        id: &str,
        now: i64,
    ) -> sqlx::Result<Option<FlowRecord>> {
        if holds_nul(id) {
            return Ok(None);
        }
        sqlx::query_as(&format!(
            "SELECT {FLOW_COLUMNS} FROM flows WHERE id = $1 AND kind = $2 AND expires_at > $3"
        ))
        .bind(id)
        .bind(kind.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }

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
        if holds_nul(id) {
            return Ok(());
        }
        sqlx::query("DELETE FROM flows WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn finish_login(
        &self,
        flow_id: &str,
        now: i64,
        old_session_hash: Option<[u8; 32]>,
        session: &SessionRecord,
        refresh: Option<&NewRefreshToken>,
        code: Option<&CodeRecord>,
    ) -> sqlx::Result<bool> {
        // No write lock needed: the flow's DELETE ... RETURNING hands it to one caller only.
        let mut tx = self.pool.begin().await?;
        if take_flow(&mut tx, FlowKind::Login, flow_id, now)
            .await?
            .is_none()
        {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(old) = old_session_hash {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(&old[..])
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_uid, created_at, expires_at, sid)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.id_hash)
        .bind(&session.user_uid)
        .bind(session.created_at)
        .bind(session.expires_at)
        .bind(&session.sid)
        .execute(&mut *tx)
        .await?;
        if let Some(token) = refresh {
            insert_refresh_token(&mut tx, token).await?;
        }
        if let Some(code) = code {
            insert_code(&mut tx, code).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn find_session(
        &self,
        id_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<SessionRecord>> {
        sqlx::query_as(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE id_hash = $1 AND expires_at > $2"
        ))
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn delete_session(&self, id_hash: &[u8]) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn prune_expired(
        &self,
        now: i64,
        revoked_before: i64,
        limit: i64,
    ) -> sqlx::Result<u64> {
        let mut pruned = 0;
        // One short statement per kind, each at most `limit` rows. `ORDER BY` the time column
        // keeps the plan on its index whatever the table's statistics say: without it the
        // planner may scan the whole table for every batch once many rows match.
        for (table, key, column, bound) in PRUNED {
            let statement = format!(
                "DELETE FROM {table} WHERE {key} IN
                 (SELECT {key} FROM {table} WHERE {column} <= $1 ORDER BY {column} LIMIT $2)"
            );
            let bound = bound.value(now, revoked_before);
            let done = sqlx::query(&statement)
                .bind(bound)
                .bind(limit)
                .execute(&self.pool);
            pruned += done.await?.rows_affected();
        }
        Ok(pruned)
    }
}

async fn take_flow(
    conn: &mut sqlx::PgConnection,
    kind: FlowKind,
    id: &str,
    now: i64,
) -> sqlx::Result<Option<FlowRecord>> {
    if holds_nul(id) {
        return Ok(None);
    }
    sqlx::query_as(&format!(
        "DELETE FROM flows WHERE id = $1 AND kind = $2 AND expires_at > $3 RETURNING {FLOW_COLUMNS}"
    ))
    .bind(id)
    .bind(kind.as_str())
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// A flow id from a request that holds NUL matches no flow, as on SQLite; PostgreSQL's text
/// cannot hold NUL and would refuse the query itself (a 500 instead of "unknown flow").
fn holds_nul(id: &str) -> bool {
    id.contains('\0')
}
