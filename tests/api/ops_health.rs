//! Health (`docs/protocol.md#operations`,
//! `docs/reliability.md#crashes-and-restarts`): liveness, and readiness that follows whether the
//! database accepts a write, recovering without a restart.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::Connection;
use sqlx::sqlite::SqliteConnectOptions;

use crate::support::*;

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn liveness_is_200_and_readiness_is_200_naming_the_loaded_signing_key() {
    let app = TestApp::spawn().await;

    let (live, live_body) = json_of(app.get("/health/live").await).await;
    let (ready, ready_body) = json_of(app.get("/health/ready").await).await;

    assert_eq!(
        (live, live_body),
        (200, serde_json::json!({"status": "ok"}))
    );
    assert_eq!(ready, 200, "{ready_body}");
    assert_eq!(ready_body["status"], "ok");
    assert_eq!(ready_body["database"], "writable");
    assert_eq!(
        ready_body["signing_key"],
        app.jwks().await["keys"][0]["kid"]
    );
}

/// The file really is made read-only. Root ignores permission bits, so when the tests run as
/// root the server is the built binary run as `nobody` (`setpriv`), like the Docker image's
/// non-root user; `chattr +i` would also stop root but needs CAP_LINUX_IMMUTABLE and a
/// filesystem that supports it (not tmpfs or overlayfs), so it would not work everywhere.
#[tokio::test]
async fn readiness_is_503_while_the_database_files_are_read_only_and_200_again_without_a_restart() {
    let (dir, config) = server_dir(&Setup::default());
    let server = ServerProcess::start_unprivileged(dir.path(), Some(&config)).await;
    let url = |path: &str| format!("{}{path}", server.base);
    let ready =
        || async { json_of(send(reqwest::Client::new().get(url("/health/ready"))).await).await };
    let status_of = |path| async move { reqwest::get(url(path)).await.unwrap().status().as_u16() };
    assert_eq!(ready().await.0, 200, "ready before; {}", server.logs());
    let files: Vec<_> = ["db.sqlite", "db.sqlite-wal", "db.sqlite-shm"]
        .map(|name| dir.path().join(name))
        .into_iter()
        .filter(|path| path.exists())
        .collect();
    let set_mode = |mode| {
        for file in &files {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    };

    set_mode(0o444);
    let (while_read_only, body) = ready().await;
    let serving = [
        status_of("/health/live").await,
        status_of("/public.pem").await,
    ];
    let docker_probe = run(&["healthcheck", "--url", &url("/health/ready")], &[]).await;
    set_mode(0o644);
    let (after, _) = ready().await;

    assert_eq!(while_read_only, 503, "{body}; {}", server.logs());
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "not writable");
    assert_eq!(serving, [200, 200], "everything else is still served");
    assert_eq!(docker_probe.code, Some(1), "the image's HEALTHCHECK fails");
    assert_eq!(after, 200, "ready again; {}", server.logs());
    assert!(
        server.terminate().await.status.success(),
        "exit 0 after SIGTERM"
    );
}

/// Another process holding SQLite's write lock (`BEGIN EXCLUSIVE` on a second connection):
/// writers wait out the 5 s busy timeout, then answer 503 with `Retry-After`, never a 500.
#[tokio::test]
async fn a_write_lock_held_by_another_connection_makes_readiness_and_writes_503_until_released() {
    let app = TestApp::spawn().await;
    // A fresh refresh token: its first use writes `last_used_at`.
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    let refresh = tokens.refresh.expect("a refresh token");
    let options = SqliteConnectOptions::new().filename(app.database_path());
    let mut locker = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    let lock = locker
        .begin_with("BEGIN EXCLUSIVE")
        .await
        .expect("the lock");

    let started = Instant::now();
    let (ready, refreshed) = tokio::join!(
        app.get("/health/ready"),
        app.refresh_with(KEY_WITH_REFRESH, &refresh)
    );
    let waited = started.elapsed();
    lock.rollback().await.expect("the lock is released");
    let ready_after = app.get("/health/ready").await;
    let refreshed_after = app.refresh_with(KEY_WITH_REFRESH, &refresh).await;

    assert_eq!(ready.status(), 503, "readiness while locked");
    assert_eq!(refreshed.status(), 503, "a write while locked");
    assert_eq!(header(&refreshed, "retry-after"), Some("1"));
    let body = text(refreshed).await;
    assert!(
        !body.to_lowercase().contains("lock"),
        "no internal detail: {body}"
    );
    assert!(waited < Duration::from_secs(20), "gave up after {waited:?}");
    assert_eq!(ready_after.status(), 200, "ready again without a restart");
    assert_eq!(refreshed_after.status(), 200, "writes work again");
    assert_eq!(text(refreshed_after).await.split('.').count(), 3, "a JWT");
}
