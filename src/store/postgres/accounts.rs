//! Users and API keys: seeded from the configuration at start, changed at runtime by the
//! control plane (`changes.rs`). Every change runs under the write lock and bumps
//! `state_version`.

use sqlx::PgConnection;

use super::PgStore;
use super::shared_state::commit_change;
use crate::store::records::{ApiKeyRow, KEY_COLUMNS, USER_COLUMNS, UserRow};

impl PgStore {
    pub async fn seed_accounts(&self, users: &[UserRow], keys: &[ApiKeyRow]) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM users WHERE configured")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM api_keys WHERE configured")
            .execute(&mut *tx)
            .await?;
        for (position, user) in users.iter().enumerate() {
            sqlx::query("DELETE FROM users WHERE uid = $1 OR ascii_lower(nick) = ascii_lower($2)")
                .bind(&user.uid)
                .bind(&user.nick)
                .execute(&mut *tx)
                .await?;
            insert_user(&mut tx, user, position as i64 - users.len() as i64).await?;
        }
        for (position, key) in keys.iter().enumerate() {
            sqlx::query("DELETE FROM api_keys WHERE key_hash = $1")
                .bind(&key.key_hash)
                .execute(&mut *tx)
                .await?;
            insert_key(&mut tx, key, position as i64 - keys.len() as i64).await?;
        }
        commit_change(tx).await.map(drop)
    }
}

pub(super) async fn insert_user(
    conn: &mut PgConnection,
    user: &UserRow,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO users ({USER_COLUMNS}, position) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&user.uid)
    .bind(&user.nick)
    .bind(&user.email)
    .bind(&user.password_hash)
    .bind(&user.claims)
    .bind(user.configured)
    .bind(position)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn insert_key(
    conn: &mut PgConnection,
    key: &ApiKeyRow,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO api_keys ({KEY_COLUMNS}, position) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&key.key_hash)
    .bind(&key.name)
    .bind(&key.key_hint)
    .bind(&key.permissions)
    .bind(&key.destinations)
    .bind(key.configured)
    .bind(position)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every user and key, in the order they were configured or created.
pub(super) async fn read_accounts(
    conn: &mut PgConnection,
) -> sqlx::Result<(Vec<UserRow>, Vec<ApiKeyRow>)> {
    let users = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY position"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let keys = sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY position"
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok((users, keys))
}

/// The position after every row of `table`: runtime entries list in the order they were made.
pub(super) async fn next_position(
    conn: &mut PgConnection,
    table: &'static str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM {table}"
    ))
    .fetch_one(conn)
    .await
}
