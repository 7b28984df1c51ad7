//! OAuth2 clients: seeded from the configuration at start, changed at runtime by the control
//! plane. Every change runs under the write lock and bumps `state_version`.

use sqlx::PgConnection;

use super::PgStore;
use super::accounts::next_position;
use super::shared_state::commit_change;
use crate::store::records::{CLIENT_COLUMNS, Change, ClientRow};

impl PgStore {
    pub async fn seed_clients(&self, clients: &[ClientRow]) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM oauth_clients WHERE configured")
            .execute(&mut *tx)
            .await?;
        for (position, client) in clients.iter().enumerate() {
            sqlx::query("DELETE FROM oauth_clients WHERE client_id = $1")
                .bind(&client.client_id)
                .execute(&mut *tx)
                .await?;
            insert_client(&mut tx, client, position as i64 - clients.len() as i64).await?;
        }
        commit_change(tx).await.map(drop)
    }

    pub async fn create_client(&self, client: &ClientRow) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM oauth_clients WHERE client_id = $1")
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

    pub async fn replace_client(
        &self,
        client: &ClientRow,
        keep_secret: bool,
    ) -> sqlx::Result<Change> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE oauth_clients SET secret_hash = CASE WHEN $1 THEN secret_hash ELSE $2 END, \
             name = $3, grants = $4, apis = $5, redirect_uris = $6, \
             post_logout_redirect_uris = $7 WHERE client_id = $8",
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
        let deleted = sqlx::query("DELETE FROM oauth_clients WHERE client_id = $1")
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
    conn: &mut PgConnection,
    client: &ClientRow,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO oauth_clients ({CLIENT_COLUMNS}, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
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
pub(super) async fn read_clients(conn: &mut PgConnection) -> sqlx::Result<Vec<ClientRow>> {
    sqlx::query_as(&format!(
        "SELECT {CLIENT_COLUMNS} FROM oauth_clients ORDER BY position"
    ))
    .fetch_all(conn)
    .await
}
