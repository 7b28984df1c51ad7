//! Three built emulator processes (`tests/api/support/process.rs`), each on its own port with
//! its own directory and the same configuration, on one database: replicas A, B and C.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

use reqwest::{Client, Response};
use serde_json::Value;
use tempfile::TempDir;
use tokio::task::JoinSet;

use crate::backend::{Backend, Database, database_url};
use crate::support::*;

pub const A: usize = 0;
pub const B: usize = 1;
pub const C: usize = 2;
/// What `docs/protocol.md#shared-state` promises: a change through one process is seen by every
/// process on the database within a second.
pub const WITHIN: Duration = Duration::from_secs(1);

pub struct Replicas {
    pub servers: Vec<ServerProcess>,
    pub api: Client,
    _dirs: Vec<TempDir>,
    /// Last, so that it is dropped after the processes using it.
    _database: Database,
}

impl Replicas {
    /// Three processes with `setup`, started at the same moment on a new database.
    pub async fn start(backend: Backend, setup: Setup) -> Self {
        let database = database_url(backend).await;
        let dirs: Vec<(TempDir, _)> = (0..3).map(|_| server_dir(&setup)).collect();
        let env = [("UITID_EMULATOR__DATABASE__URL", database.url().to_owned())];
        let start = |i: usize| ServerProcess::start(dirs[i].0.path(), Some(&dirs[i].1), &env);
        let (a, b, c) = tokio::join!(start(A), start(B), start(C));
        Self {
            servers: vec![a, b, c],
            api: client(),
            _dirs: dirs.into_iter().map(|(dir, _)| dir).collect(),
            _database: database,
        }
    }

    /// `path` (starting with `/`) on `replica`.
    pub fn url(&self, replica: usize, path: &str) -> String {
        format!("{}{path}", self.servers[replica].base)
    }

    pub async fn get(&self, replica: usize, path: &str) -> Response {
        send(self.api.get(self.url(replica, path))).await
    }

    /// `POST /_emulator/<path>` with a JSON body on `replica`.
    pub async fn control(&self, replica: usize, path: &str, body: &Value) -> Response {
        let url = self.url(replica, &format!("/_emulator/{path}"));
        send(self.api.post(url).json(body)).await
    }

    /// `POST /_emulator/tokens`, expecting 200: the answer's JSON.
    pub async fn mint(&self, replica: usize, body: &Value) -> Value {
        let minted = self.control(replica, "tokens", body).await;
        assert_eq!(minted.status(), 200, "minting {body} on replica {replica}");
        minted.json().await.expect("minted tokens as JSON")
    }

    pub async fn refresh(&self, replica: usize, key: &str, refresh: &str) -> Response {
        let query = form_query(&[("apiKey", key), ("refresh", refresh)]);
        self.get(replica, &format!("/refresh?{query}")).await
    }

    /// `GET /user` on `replica` with `jwt` and `key`.
    pub async fn user(&self, replica: usize, jwt: &str, key: &str) -> Response {
        let request = self.api.get(self.url(replica, "/user")).bearer_auth(jwt);
        send(request.header("x-api-key", key)).await
    }

    /// The interactive login on `replica` (`/connect`, the form, its 303).
    pub fn browser(&self, replica: usize) -> Browser {
        Browser::new(&self.servers[replica].base)
    }

    /// `count` refreshes with `KEY_WITH_REFRESH` sent at once, the i-th on replica `i % 3` with
    /// token `i % tokens.len()`: how many got each status, and the 200s' bodies.
    pub async fn refresh_burst(
        &self,
        tokens: &[String],
        count: usize,
    ) -> (BTreeMap<u16, usize>, Vec<String>) {
        let mut requests = JoinSet::new();
        for i in 0..count {
            let query = form_query(&[
                ("apiKey", KEY_WITH_REFRESH),
                ("refresh", &tokens[i % tokens.len()]),
            ]);
            let request = self.api.get(self.url(i % 3, &format!("/refresh?{query}")));
            requests.spawn(async move {
                let answer = send(request).await;
                (answer.status().as_u16(), text(answer).await)
            });
        }
        let mut statuses = BTreeMap::new();
        let mut bodies = vec![];
        for (status, body) in requests.join_all().await {
            *statuses.entry(status).or_default() += 1;
            if status == 200 {
                bodies.push(body);
            }
        }
        (statuses, bodies)
    }
}

impl Drop for Replicas {
    /// A failing test shows what the three processes logged.
    fn drop(&mut self) {
        if std::thread::panicking() {
            for (server, name) in self.servers.iter().zip(["A", "B", "C"]) {
                eprintln!("=== replica {name} ===\n{}", server.logs());
            }
        }
    }
}

/// Polls `check` every 20 ms until it holds, failing the test unless it does within [`WITHIN`]
/// of the call; returns how long it took.
pub async fn within_a_second<F, Fut>(what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < WITHIN, "{what} within {WITHIN:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
