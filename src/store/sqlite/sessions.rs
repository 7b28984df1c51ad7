//! SSO sessions of the login stand-in; the cookie value is only stored hashed.

use super::SqliteStore;
use crate::store::records::SessionRecord;

impl SqliteStore {
    pub async fn find_session(
        &self,
        id_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<SessionRecord>> {
        sqlx::query_as(
            "SELECT id_hash, user_uid, created_at, expires_at FROM sessions
             WHERE id_hash = ? AND expires_at > ?",
        )
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }

    /// Drops expired flows, sessions and refresh tokens in one write transaction (housekeeping).
    pub async fn purge_expired(&self, now: i64) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        // Refresh tokens without a lifetime (`expires_at` NULL) never match.
        for table in ["flows", "sessions", "refresh_tokens"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE expires_at <= ?"))
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    pub async fn delete_session(&self, id_hash: &[u8]) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

pub(super) async fn insert_session(
    conn: &mut sqlx::SqliteConnection,
    session: &SessionRecord,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_uid, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(&session.id_hash)
    .bind(&session.user_uid)
    .bind(session.created_at)
    .bind(session.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}
