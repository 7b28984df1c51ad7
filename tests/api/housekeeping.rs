//! Expired login flows, sessions and refresh tokens do not pile up: they are purged (at most once
//! a minute, by the emulator clock) when new flows are added.

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

    assert_eq!(rows(&app, "flows").await, 1, "only the new flow is left");
    assert_eq!(
        rows(&app, "sessions").await,
        0,
        "the expired session is gone"
    );
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
    assert_eq!(
        rows(&app, "refresh_tokens").await,
        1,
        "the expired token is gone"
    );
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
