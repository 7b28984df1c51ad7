//! Expired login flows, sessions and refresh tokens, and long-revoked tokens, do not pile up: the
//! background pruner deletes them in batches, woken when new flows arrive (at most once a minute
//! by the emulator clock) and every `database.prune_interval` (`docs/protocol.md#housekeeping`).

use std::time::{Duration, Instant};

use crate::support::*;

async fn rows(app: &TestApp, table: &str) -> i64 {
    let url = format!("sqlite://{}", app.database_path().display());
    let pool = sqlx::SqlitePool::connect(&url)
        .await
        .expect("the database opens");
    let count = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&pool)
        .await
        .expect("the rows are counted");
    pool.close().await;
    count
}

/// Waits until `table` holds `expected` rows; the pruner runs beside requests, not in them.
async fn until_rows(app: &TestApp, table: &str, expected: i64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = rows(app, table).await;
        if now == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{table}: {now} rows, not {expected}, after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn expired_flows_and_sessions_are_purged_when_new_flows_arrive() {
    let app = TestApp::spawn().await;
    app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await; // one session
    let pending = app.browser();
    pending
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await; // one open flow
    assert_eq!(
        (rows(&app, "flows").await, rows(&app, "sessions").await),
        (1, 1)
    );

    // Past the 10 h session and 30 min flow lifetimes, and past the purge interval.
    app.state().clock.advance(11 * 3600).await.unwrap();
    pending
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;

    until_rows(&app, "flows", 1).await; // only the new flow is left
    until_rows(&app, "sessions", 0).await; // the expired session is gone
}

#[tokio::test]
async fn expired_refresh_tokens_are_purged_too_and_live_ones_kept() {
    let app = Setup {
        refresh_ttl: "2h".into(),
        ..Setup::default()
    }
    .spawn()
    .await;
    let old = app.refresh_token().await;
    app.state().clock.advance(3 * 3600).await.unwrap();
    let fresh = app.refresh_token().await; // this login's flow triggers the purge
    until_rows(&app, "refresh_tokens", 1).await; // the expired token is gone
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &fresh).await.status(),
        200
    );
    let gone = app.refresh_with(KEY_WITH_REFRESH, &old).await;
    assert_eq!(
        text(gone).await,
        "invalid_grant: Unknown or invalid refresh token."
    );
}

#[tokio::test]
async fn thousands_of_dead_tokens_go_in_batches_while_live_ones_stay() {
    let app = Setup::default()
        .with_sections(
            "[database]\nprune_batch = 50\nprune_interval = \"100ms\"\nkeep_revoked = \"1h\"",
        )
        .spawn()
        .await;
    let live = app.refresh_token().await;
    let now = app.now();
    // 1,500 expired, 1,500 revoked two hours ago, 10 revoked a minute ago: thirty batches each.
    let url = format!("sqlite://{}", app.database_path().display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3010)
         INSERT INTO refresh_tokens (token_hash, user_uid, api_key_hash, created_at, expires_at,
                                     revoked_at)
         SELECT randomblob(32), 'u', randomblob(32), ?1,
                CASE WHEN i <= 1500 THEN ?1 - 1 END,
                CASE WHEN i > 3000 THEN ?1 - 60 WHEN i > 1500 THEN ?1 - 7200 END
         FROM n",
    )
    .bind(now)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    until_rows(&app, "refresh_tokens", 1 + 10).await;
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &live).await.status(),
        200
    );
}
