//! SSO sessions of the login stand-in; the cookie value is only stored hashed.

use super::SqliteStore;
use crate::store::records::{PRUNED, SESSION_COLUMNS, SessionRecord};

impl SqliteStore {
    pub async fn find_session(
        &self,
        id_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<SessionRecord>> {
        sqlx::query_as(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE id_hash = ? AND expires_at > ?"
        ))
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn prune_expired(
        &self,
        now: i64,
        revoked_before: i64,
        limit: i64,
    ) -> sqlx::Result<u64> {
        let mut pruned = 0;
        // One short statement (its own write transaction) per kind, each at most `limit` rows
        // found through an index, so requests wait for the write lock a moment at most.
        for (table, key, column, bound) in PRUNED {
            let statement = format!(
                "DELETE FROM {table} WHERE {key} IN
                 (SELECT {key} FROM {table} WHERE {column} <= ? ORDER BY {column} LIMIT ?)"
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
        "INSERT INTO sessions (id_hash, user_uid, created_at, expires_at, sid)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&session.id_hash)
    .bind(&session.user_uid)
    .bind(session.created_at)
    .bind(session.expires_at)
    .bind(&session.sid)
    .execute(conn)
    .await?;
    Ok(())
}
