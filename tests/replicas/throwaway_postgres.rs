//! The throwaway PostgreSQL of `tests/common/postgres.rs` works: each caller gets a database of
//! its own on a PostgreSQL 15 server, empty and writable, and it is gone once dropped.

use sqlx::migrate::MigrateDatabase;
use sqlx::{Connection, PgConnection, Postgres};

use crate::postgres::fresh_database;

#[tokio::test]
async fn each_fresh_database_is_new_empty_writable_and_dropped_afterwards() {
    let (first, second) = tokio::join!(fresh_database(), fresh_database());
    assert_ne!(first.url, second.url, "a database of its own each");
    let name = url::Url::parse(&first.url).unwrap().path()[1..].to_owned();

    let mut connection = PgConnection::connect(&first.url)
        .await
        .expect("it connects");
    let (database, version): (String, i32) =
        sqlx::query_as("SELECT current_database(), current_setting('server_version_num')::int")
            .fetch_one(&mut connection)
            .await
            .unwrap();
    assert_eq!(database, name);
    assert_eq!(version / 10_000, 15, "PostgreSQL 15, as in production");
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&mut connection)
    .await
    .unwrap();
    assert_eq!(tables, 0, "a new database is empty");
    sqlx::raw_sql("CREATE TABLE probe (n integer); INSERT INTO probe VALUES (7)")
        .execute(&mut connection)
        .await
        .expect("the test user may create tables");
    let n: i32 = sqlx::query_scalar("SELECT n FROM probe")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(n, 7);

    // Dropped while still connected to, as a test's servers may be.
    let url = first.url.clone();
    drop(first);
    let exists = Postgres::database_exists(&url)
        .await
        .expect("the server answers");
    assert!(!exists, "a dropped TestDatabase drops its database");
    assert!(Postgres::database_exists(&second.url).await.unwrap());
}
