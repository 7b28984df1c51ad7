//! `docs/reliability.md#crashes-and-restarts`: the PostgreSQL server goes away under a running
//! emulator (an outage, a failover) and comes back. Meanwhile a request that needs the database
//! answers 503 with `Retry-After` within the pool's acquire timeout (never a 500, never a hang),
//! readiness is false, and both recover without restarting the emulator.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::Connection;
use uitid_emulator::testing::TestServer;

use crate::support::{client, form_query};

/// The sample configuration's user and key (`config/default.toml`), which `TestServer` serves.
const USER: &str = "stiksels";
const KEY: &str = "sample-key-with-refresh";

/// A cluster of its own (`scripts/postgres-cluster.sh`): the shared one of the other tests must
/// not go down.
struct Cluster {
    dir: tempfile::TempDir,
    url: String,
}

impl Cluster {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("a directory");
        let out = cluster_script("start", &dir.path().to_path_buf());
        let url = String::from_utf8(out).expect("UTF-8").trim().to_owned();
        Self { dir, url }
    }

    fn stop(&self) {
        cluster_script("stop", &self.dir.path().to_path_buf());
    }

    fn resume(&self) {
        cluster_script("resume", &self.dir.path().to_path_buf());
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn cluster_script(command: &str, dir: &PathBuf) -> Vec<u8> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/postgres-cluster.sh");
    let output = Command::new("bash")
        .args([script, command])
        .arg(dir)
        .output()
        .expect("bash runs");
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "postgres-cluster.sh {command}: {log}"
    );
    output.stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow suite: starts and stops a PostgreSQL cluster of its own"]
async fn a_postgres_outage_is_503_with_retry_after_and_service_resumes_without_a_restart() {
    let cluster = Cluster::start();
    let mut admin = sqlx::PgConnection::connect(&cluster.url)
        .await
        .expect("connects");
    sqlx::query("CREATE DATABASE outage")
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let database = cluster.url.replace("/postgres", "/outage");
    let server = TestServer::builder().database_url(database).start().await;
    let api = client();
    let minted: Value = api
        .post(server.url("/_emulator/tokens"))
        .json(&json!({"user": USER, "api_key": KEY}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refresh_token = minted["refresh"]
        .as_str()
        .expect("a refresh token")
        .to_owned();
    let refresh = || {
        let query = form_query(&[("apiKey", KEY), ("refresh", &refresh_token)]);
        api.get(server.url(&format!("/refresh?{query}"))).send()
    };
    assert_eq!(refresh().await.unwrap().status(), 200);

    cluster.stop();
    let asked = Instant::now();
    let during = refresh()
        .await
        .expect("an answer, not a dropped connection");
    let waited = asked.elapsed();
    let ready_during = api
        .get(server.url("/health/ready"))
        .send()
        .await
        .unwrap()
        .status();
    println!(
        "database down: /refresh {} after {waited:?}",
        during.status()
    );
    assert_eq!(
        during.status(),
        503,
        "a database outage is 503, never a 500"
    );
    assert!(
        during.headers().contains_key("retry-after"),
        "with Retry-After"
    );
    assert!(
        waited < Duration::from_secs(8),
        "within the acquire timeout: {waited:?}"
    );
    assert_eq!(ready_during, 503, "not ready without a database");

    cluster.resume();
    let back = Instant::now();
    loop {
        let status = refresh().await.unwrap().status();
        if status == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(15),
            "still {status} 15 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("database back: /refresh 200 after {:?}", back.elapsed());
    assert_eq!(
        api.get(server.url("/health/ready"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
