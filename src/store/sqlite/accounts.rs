//! Users and API keys: seeded from the configuration at start, changed at runtime by the control
//! plane. Passwords and keys arrive hashed; claims, permissions and destinations as JSON text.

use super::SqliteStore;
use super::shared_state::bump_version;
use crate::store::records::{ApiKeyRow, Change, KEY_COLUMNS, Owner, USER_COLUMNS, UserRow};

/// Binds the owner's id: a uid as text, a key hash as a blob.
fn bind_owner<'q>(owner: Owner<'_>, query: SqliteQuery<'q>) -> SqliteQuery<'q> {
    match owner {
        Owner::User(uid) => query.bind(uid.to_owned()),
        Owner::ApiKey(hash) => query.bind(hash.to_vec()),
    }
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

impl SqliteStore {
    /// Makes the configured users and keys exactly `users` and `keys` (the configuration wins
    /// over runtime changes, and over a runtime entry with the same uid, nick or key); runtime
    /// entries stay.
    pub async fn seed_accounts(&self, users: &[UserRow], keys: &[ApiKeyRow]) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM users WHERE configured = 1")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM api_keys WHERE configured = 1")
            .execute(&mut *tx)
            .await?;
        for (position, user) in users.iter().enumerate() {
            sqlx::query("DELETE FROM users WHERE uid = ? OR nick = ?")
                .bind(&user.uid)
                .bind(&user.nick)
                .execute(&mut *tx)
                .await?;
            insert_user(&mut tx, user, position as i64 - users.len() as i64).await?;
        }
        for (position, key) in keys.iter().enumerate() {
            sqlx::query("DELETE FROM api_keys WHERE key_hash = ?")
                .bind(&key.key_hash)
                .execute(&mut *tx)
                .await?;
            insert_key(&mut tx, key, position as i64 - keys.len() as i64).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await
    }

    /// Deletes a user or key and revokes the refresh tokens it owns, in one transaction, so no
    /// token outlives its owner even if the owner is created again.
    pub(super) async fn delete_revoking(&self, owner: Owner<'_>, now: i64) -> sqlx::Result<Change> {
        let (delete, revoke) = match owner {
            Owner::User(_) => (
                "DELETE FROM users WHERE uid = ?",
                "UPDATE refresh_tokens SET revoked_at = ? WHERE user_uid = ? AND revoked_at IS NULL",
            ),
            Owner::ApiKey(_) => (
                "DELETE FROM api_keys WHERE key_hash = ?",
                "UPDATE refresh_tokens SET revoked_at = ? WHERE api_key_hash = ? AND revoked_at IS NULL",
            ),
        };
        let mut tx = self.begin_write().await?;
        let deleted = bind_owner(owner, sqlx::query(delete))
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Ok(Change::NotFound);
        }
        let revoke = bind_owner(owner, sqlx::query(revoke).bind(now));
        revoke.execute(&mut *tx).await?;
        commit_change(tx).await
    }
}

pub(super) async fn insert_user(
    conn: &mut sqlx::SqliteConnection,
    user: &UserRow,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO users ({USER_COLUMNS}, position) VALUES (?, ?, ?, ?, ?, ?, ?)"
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
    conn: &mut sqlx::SqliteConnection,
    key: &ApiKeyRow,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO api_keys ({KEY_COLUMNS}, position) VALUES (?, ?, ?, ?, ?, ?, ?)"
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
    conn: &mut sqlx::SqliteConnection,
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
    conn: &mut sqlx::SqliteConnection,
    table: &'static str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM {table}"
    ))
    .fetch_one(conn)
    .await
}

/// How every runtime change ends: the version moves, so other processes reload, then commit.
pub(super) async fn commit_change(
    mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
) -> sqlx::Result<Change> {
    bump_version(&mut tx).await?;
    tx.commit().await?;
    Ok(Change::Done)
}
