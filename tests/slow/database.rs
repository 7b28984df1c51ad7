//! Looking into a test server's SQLite file from outside, on a connection of its own (which
//! first recovers whatever WAL a crash left, as the next server would).

use std::path::Path;

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

/// `PRAGMA integrity_check`: `ok`, or the damage found.
pub async fn integrity_check(database: &Path) -> String {
    query_scalar(database, "PRAGMA integrity_check").await
}

/// The number of rows in `table`.
pub async fn count(database: &Path, table: &str) -> i64 {
    query_scalar(database, &format!("SELECT count(*) FROM {table}")).await
}

async fn query_scalar<T>(database: &Path, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send + Unpin,
{
    let options = SqliteConnectOptions::new().filename(database);
    let mut connection = SqliteConnection::connect_with(&options).await.unwrap();
    let value = sqlx::query_scalar(sql).fetch_one(&mut connection).await;
    connection.close().await.unwrap();
    value.unwrap_or_else(|e| panic!("{sql}: {e}"))
}
