//! `docs/reliability.md#crashes-and-restarts`: the database becomes read-only under a running
//! server. Every write is then a 503 with `Retry-After` (never a 500), readiness is false, reads
//! are still served, and all of it recovers without a restart.
//!
//! Root ignores permission bits, and permissions are checked only when a file is opened, so
//! `chmod` stops neither root nor the connections the server already holds; a read-only
//! remount is refused while the server has the files open for writing. The immutable flag of
//! ext4 (`chattr +i`) stops every write, through descriptors already open too. So the database
//! lives on a small ext4 image, loop-mounted, which needs root: `.ci/run` runs the suite as root.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::task::JoinSet;

use crate::ext4_disk::Ext4Disk;
use crate::support::*;

/// Writes sent at once: more than the pool's connections, so the pool opens new ones while the
/// files are read-only (SQLite then opens them read-only).
const WRITES: usize = 24;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs root (a loop-mounted ext4 image, chattr); .ci/run runs it"]
async fn a_read_only_database_makes_writes_503_and_readiness_false_and_both_recover_in_place() {
    let disk = Ext4Disk::mount();
    let app = Setup::default().spawn_in(disk.path()).await;
    let refresh = app.refresh_token().await;
    let jwt = jwt(&app, USER_NICK).await;
    assert_eq!(app.get("/health/ready").await.status(), 200);

    disk.set_immutable(true);
    let ready_while = app.get("/health/ready").await.status();
    let writes_while = writes(&app, &refresh).await;
    let reads_while = [
        app.get("/public.pem").await.status(),
        user_with(&app, &jwt).await.status(),
    ];
    disk.set_immutable(false);
    let ready_in = until(|| async {
        let status = app.get("/health/ready").await.status();
        (status != 200).then(|| format!("readiness {status}"))
    })
    .await;
    let writing_in = until(|| async {
        let answers = writes(&app, &refresh).await;
        let failed: Vec<_> = answers.into_iter().filter(|a| !succeeded(a)).collect();
        (!failed.is_empty()).then(|| format!("{} writes failed: {:?}", failed.len(), failed[0]))
    })
    .await;
    eprintln!(
        "writable again: ready after {ready_in:?}, all {WRITES} parallel writes succeed after \
         {writing_in:?}"
    );

    assert_eq!(ready_while, 503, "not ready while read-only");
    for (write, status, retry_after, body) in &writes_while {
        assert_eq!(*status, 503, "{write} while read-only: {body}");
        assert!(retry_after.is_some(), "{write}: 503 says when to retry");
        let lower = body.to_lowercase();
        for detail in [
            "sqlite",
            "readonly",
            "read-only",
            "permitted",
            "error returned",
        ] {
            assert!(
                !lower.contains(detail),
                "{write}: internal detail in {body:?}"
            );
        }
    }
    assert_eq!(reads_while, [200, 200], "reads are served while read-only");
    drop(app);
}

/// `(what, status, Retry-After, body)`: one write of each kind, [`WRITES`] at once.
type Answer = (&'static str, u16, Option<String>, String);

fn succeeded((_, status, _, _): &Answer) -> bool {
    matches!(status, 200 | 302)
}

/// Minting (stores a refresh token), refreshing (records its last use) and `/connect` (stores
/// a login flow).
async fn writes(app: &TestApp, refresh: &str) -> Vec<Answer> {
    let mut requests = JoinSet::new();
    for n in 0..WRITES {
        let (what, request) = match n % 3 {
            0 => (
                "a mint",
                app.api
                    .post(app.url("/_emulator/tokens"))
                    .json(&json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH})),
            ),
            1 => (
                "a refresh",
                app.api.get(app.url(&format!(
                    "/refresh?{}",
                    form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", refresh)])
                ))),
            ),
            _ => (
                "a /connect",
                app.api.get(app.url(&format!(
                    "/connect?{}",
                    connect_query(KEY_WITH_REFRESH, APP_CALLBACK)
                ))),
            ),
        };
        requests.spawn(async move {
            let response = send(request).await;
            let retry_after = header(&response, "retry-after").map(str::to_owned);
            (
                what,
                response.status().as_u16(),
                retry_after,
                text(response).await,
            )
        });
    }
    requests.join_all().await
}

/// How long until `pending` answers `None` (done) rather than what is still wrong, polled every
/// 50 ms for at most 10 s.
async fn until<F>(pending: impl Fn() -> F) -> Duration
where
    F: std::future::Future<Output = Option<String>>,
{
    let started = Instant::now();
    while let Some(wrong) = pending().await {
        let waited = started.elapsed();
        assert!(
            waited < Duration::from_secs(10),
            "not recovered after {waited:?}: {wrong}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    started.elapsed()
}
