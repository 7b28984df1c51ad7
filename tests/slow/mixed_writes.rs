//! `docs/reliability.md#concurrency`: two processes on one SQLite file, writing at once for a
//! minute (logins, refreshes, minting, revocations): not one 5xx (a deferred transaction would
//! get SQLITE_BUSY at once, past the busy timeout, and answer 503), every token not revoked
//! keeps working, and the file passes `PRAGMA integrity_check` afterwards.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::json;
use tokio::task::JoinSet;

use crate::database::integrity_check;
use crate::scale;
use crate::support::*;

const WORKERS_PER_SERVER: usize = 3;
/// The user and key whose tokens are revoked while in use; no other token ever is.
const REVOCABLE: (&str, &str) = ("noemail", KEY_FOR_ANYWHERE);

/// Requests per kind, and every answer that broke a rule.
#[derive(Default)]
struct Tally {
    logins: AtomicUsize,
    refreshes: AtomicUsize,
    mints: AtomicUsize,
    revocations: AtomicUsize,
    broken: Mutex<Vec<String>>,
}

impl Tally {
    fn expect(&self, what: &str, status: u16, allowed: &[u16], counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::Relaxed);
        if !allowed.contains(&status) {
            self.broken
                .lock()
                .unwrap()
                .push(format!("{what}: {status}"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "slow suite: cargo test --test slow -- --ignored"]
async fn two_processes_writing_at_once_answer_no_5xx_and_leave_an_intact_database() {
    let duration = scale::seconds("seconds of mixed writes", 10, 60);
    let dir = tempfile::tempdir().expect("a database directory");
    let servers = [
        Arc::new(Setup::default().spawn_in(dir.path()).await),
        Arc::new(Setup::default().spawn_in(dir.path()).await),
    ];
    let tally = Arc::new(Tally::default());
    let deadline = Instant::now() + duration;

    let mut workers = JoinSet::new();
    for server in servers.iter().cycle().take(2 * WORKERS_PER_SERVER) {
        workers.spawn(work(server.clone(), tally.clone(), deadline));
    }
    workers.join_all().await;
    let database = servers[0].database_path();
    for server in servers {
        let Ok(server) = Arc::try_unwrap(server) else {
            panic!("the workers are done with the server");
        };
        server.stop().await;
    }
    let integrity = integrity_check(&database).await;

    let count = |counter: &AtomicUsize| counter.load(Ordering::Relaxed);
    let total = count(&tally.logins) + count(&tally.refreshes) + count(&tally.mints);
    eprintln!(
        "{total} writes and {} revocations in {duration:?} on two servers: {} logins, {} \
         refreshes, {} mints ({:.0} writes/s)",
        count(&tally.revocations),
        count(&tally.logins),
        count(&tally.refreshes),
        count(&tally.mints),
        total as f64 / duration.as_secs_f64(),
    );
    let broken = tally.broken.lock().unwrap();
    assert!(
        broken.is_empty(),
        "{} broken answers: {broken:?}",
        broken.len()
    );
    assert_eq!(integrity, "ok");
}

/// Until `deadline`: a form login, refreshes of this worker's tokens (never revoked: 200), a
/// token minted for [`REVOCABLE`] and refreshed (200, or 400 once revoked), and revocations of
/// [`REVOCABLE`]'s newest token and of all of them.
async fn work(server: Arc<TestApp>, tally: Arc<Tally>, deadline: Instant) {
    let mut own = vec![];
    let (user, key) = REVOCABLE;
    while Instant::now() < deadline {
        let browser = server.browser();
        let login = browser
            .log_in(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
            .await;
        tally.expect("a login", login.status().as_u16(), &[303], &tally.logins);
        if login.status() == 303 {
            own.push(Tokens::from_redirect(&login).refresh().to_owned());
        }
        for token in own.iter().rev().take(3) {
            let refreshed = server.refresh_with(KEY_WITH_REFRESH, token).await.status();
            tally.expect("a refresh", refreshed.as_u16(), &[200], &tally.refreshes);
        }
        let minted = post(&server, "tokens", &json!({"user": user, "api_key": key})).await;
        tally.expect("a mint", minted.status().as_u16(), &[200], &tally.mints);
        let minted: serde_json::Value = minted.json().await.unwrap_or_default();
        if let Some(token) = minted["refresh"].as_str() {
            let refreshed = server.refresh_with(key, token).await.status().as_u16();
            tally.expect(
                "a revocable refresh",
                refreshed,
                &[200, 400],
                &tally.refreshes,
            );
        }
        let all = server.url(&format!(
            "/_emulator/refresh-tokens?user={user}&api_key={key}"
        ));
        let newest = get_json(&server.api, &all).await["refresh_tokens"][0]["id"].as_i64();
        // By id, a transaction that reads, then writes; all of them, one statement.
        let by_id = newest.map(|id| server.url(&format!("/_emulator/refresh-tokens/{id}")));
        for url in by_id.into_iter().chain([all]) {
            let revoked = send(server.api.delete(url)).await.status().as_u16();
            tally.expect("a revocation", revoked, &[200], &tally.revocations);
        }
    }
}
