//! OAuth2 clients: seeded from the configuration at start, changed at runtime by the control
//! plane. Secrets arrive hashed; lists as JSON text.

use super::SqliteStore;
use super::accounts::{commit_change, next_position};
use super::shared_state::bump_version;
use crate::store::records::{CLIENT_COLUMNS, Change, ClientRow};

impl SqliteStore {
    /// Makes the configured clients exactly `clients` (the configuration wins over runtime
    /// changes, and over a runtime client with the same id); runtime clients stay.
    pub async fn seed_clients(&self, clients: &[ClientRow]) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM oauth_clients WHERE configured = 1")
            .execute(&mut *tx)
            .await?;
        for (position, client) in clients.iter().enumerate() {
            sqlx::query("DELETE FROM oauth_clients WHERE client_id = ?")
                .bind(&client.client_id)
                .execute(&mut *tx)
                .await?;
            insert_client(&mut tx, client, position as i64 - clients.len() as i64).await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await
    }

    /// Adds a runtime client after all others; a conflict when the id is taken.
    pub async fn create_client(&self, client: &ClientRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM oauth_clients WHERE client_id = ?")
                .bind(&client.client_id)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Ok(Change::Conflict);
        }
        let next = next_position(&mut tx, "oauth_clients").await?;
        insert_client(&mut tx, client, next).await?;
        commit_change(tx).await
    }

    /// Replaces everything of client `client_id` but its id and place; the secret only when
    /// `keep_secret` is false.
    pub async fn replace_client(
        &self,
        client: &ClientRow,
        keep_secret: bool,
    ) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE oauth_clients SET secret_hash = CASE WHEN ? THEN secret_hash ELSE ? END, \
             name = ?, grants = ?, apis = ?, redirect_uris = ?, post_logout_redirect_uris = ? \
             WHERE client_id = ?",
        )
        .bind(keep_secret)
        .bind(&client.secret_hash)
        .bind(&client.name)
        .bind(&client.grants)
        .bind(&client.apis)
        .bind(&client.redirect_uris)
        .bind(&client.post_logout_redirect_uris)
        .bind(&client.client_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(Change::NotFound);
        }
        commit_change(tx).await
    }

    pub async fn delete_client(&self, client_id: &str) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM oauth_clients WHERE client_id = ?")
            .bind(client_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            return Ok(Change::NotFound);
        }
        commit_change(tx).await
    }
}

async fn insert_client(
    conn: &mut sqlx::SqliteConnection,
    client: &ClientRow,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO oauth_clients ({CLIENT_COLUMNS}, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&client.client_id)
    .bind(&client.secret_hash)
    .bind(&client.name)
    .bind(&client.grants)
    .bind(&client.apis)
    .bind(&client.redirect_uris)
    .bind(&client.post_logout_redirect_uris)
    .bind(client.configured)
    .bind(position)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every client, in the order they were configured or created.
pub(super) async fn read_clients(
    conn: &mut sqlx::SqliteConnection,
) -> sqlx::Result<Vec<ClientRow>> {
    sqlx::query_as(&format!(
        "SELECT {CLIENT_COLUMNS} FROM oauth_clients ORDER BY position"
    ))
    .fetch_all(conn)
    .await
}
