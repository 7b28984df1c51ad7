//! `docs/reliability.md#crashes-and-restarts`: `kill -9` in the middle of a burst of logins and
//! refreshes, on the built binary. After the restart the database passes `PRAGMA
//! integrity_check` and every refresh token whose response reached the client still works: an
//! answer leaves only after its transaction committed, and a committed WAL transaction survives
//! a process crash (`synchronous = NORMAL` can lose one only on a power loss).

use std::os::unix::process::ExitStatusExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::database::{count, integrity_check};
use crate::scale;
use crate::support::*;

const WORKERS: usize = 16;

/// What the burst saw.
#[derive(Default)]
struct Burst {
    /// Refresh tokens whose login answer arrived.
    issued: Mutex<Vec<String>>,
    /// Requests started, answered, and answered with something other than success.
    started: AtomicUsize,
    answered: AtomicUsize,
    unexpected: Mutex<Vec<String>>,
}

impl Burst {
    fn any_issued(&self, n: usize) -> Option<String> {
        let issued = self.issued.lock().unwrap();
        (!issued.is_empty()).then(|| issued[n % issued.len()].clone())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "slow suite: cargo test --test slow -- --ignored"]
async fn after_kill_9_mid_burst_the_database_is_intact_and_every_answered_refresh_token_works() {
    let total = scale::size("logins and refreshes in the burst", 300, 1000);
    let (dir, config) = server_dir(&Setup::headless(USER_NICK));
    let server = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    let burst = Arc::new(Burst::default());
    // Somewhere between 30 % and 70 % of the burst, a different point on every run.
    let kill_at = total * (30 + nanos() % 41) / 100;

    let workers = spawn_burst(&server.base, total, burst.clone());
    let deadline = Instant::now() + Duration::from_secs(120);
    while burst.answered.load(Ordering::Acquire) < kill_at {
        assert!(
            Instant::now() < deadline,
            "the burst stalled: {}",
            server.logs()
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let status = server.kill_9().await;
    let answered_at_kill = burst.answered.load(Ordering::Acquire);
    workers.join_all().await;
    let issued = burst.issued.lock().unwrap().clone();
    let database = dir.path().join("db.sqlite");
    let integrity = integrity_check(&database).await;
    let stored = count(&database, "refresh_tokens").await;
    let started = Instant::now();
    let server = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    let restarted_in = started.elapsed();
    let refused = refresh_all(&server.base, &issued).await;
    eprintln!(
        "killed after {answered_at_kill} of {total} answers ({} refresh tokens answered, \
         {stored} stored); restarted in {restarted_in:?}; {} of them refused after the restart",
        issued.len(),
        refused.len()
    );

    assert_eq!(status.signal(), Some(9), "the server really was killed");
    assert!(answered_at_kill < total, "killed mid-burst");
    assert!(
        burst.unexpected.lock().unwrap().is_empty(),
        "{:?}",
        burst.unexpected
    );
    assert_eq!(integrity, "ok", "PRAGMA integrity_check after the crash");
    assert!(
        stored as usize >= issued.len(),
        "every answered token is stored"
    );
    assert!(refused.is_empty(), "answered tokens refused: {refused:?}");
    assert!(
        server.terminate().await.status.success(),
        "exit 0 on SIGTERM"
    );
}

/// Headless logins (each stores a refresh token) and refreshes of tokens already answered (each
/// records the token's last use), `WORKERS` at a time, until the server is gone.
fn spawn_burst(base: &str, total: usize, burst: Arc<Burst>) -> JoinSet<()> {
    let login = format!(
        "{base}/connect?{}",
        connect_query(KEY_WITH_REFRESH, APP_CALLBACK)
    );
    let mut workers = JoinSet::new();
    for _ in 0..WORKERS {
        let (api, login, burst, base) = (client(), login.clone(), burst.clone(), base.to_owned());
        workers.spawn(async move {
            loop {
                let n = burst.started.fetch_add(1, Ordering::AcqRel);
                if n >= total {
                    return;
                }
                let token = (n % 2 == 1).then(|| burst.any_issued(n)).flatten();
                let url = match token {
                    Some(token) => refresh_url(&base, &token),
                    None => login.clone(),
                };
                let Ok(response) = api.get(&url).send().await else {
                    return; // the server is gone
                };
                burst.answered.fetch_add(1, Ordering::AcqRel);
                match response.status().as_u16() {
                    302 => {
                        let tokens = Tokens::from_redirect(&response);
                        burst
                            .issued
                            .lock()
                            .unwrap()
                            .push(tokens.refresh().to_owned());
                    }
                    200 => {}
                    other => burst
                        .unexpected
                        .lock()
                        .unwrap()
                        .push(format!("{other} {url}")),
                }
            }
        });
    }
    workers
}

fn refresh_url(base: &str, token: &str) -> String {
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", token)]);
    format!("{base}/refresh?{query}")
}

/// The tokens `/refresh` does not answer 200 for, `WORKERS` requests at a time.
async fn refresh_all(base: &str, tokens: &[String]) -> Vec<String> {
    let mut refused = vec![];
    for chunk in tokens.chunks(WORKERS) {
        let mut requests = JoinSet::new();
        for token in chunk {
            let (api, url, token) = (client(), refresh_url(base, token), token.clone());
            requests.spawn(async move { (send(api.get(url)).await.status(), token) });
        }
        for (status, token) in requests.join_all().await {
            if status != 200 {
                refused.push(format!("{status} for {}…", &token[..8]));
            }
        }
    }
    refused
}

fn nanos() -> usize {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.unwrap().subsec_nanos() as usize
}
