//! `docs/reliability.md#crashes-and-restarts`: SIGTERM to the built binary while many requests
//! are in flight (held by a `delay` fault, `docs/protocol.md#faults`) and many connections are
//! idle or half-sent. Every request in flight is answered in full, the idle connections hold
//! nothing up, and the process exits 0; a request that outlasts `server.drain_timeout` is cut
//! off and the process still exits 0, at that timeout.

use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use crate::scale;
use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "slow suite: cargo test --test slow -- --ignored"]
async fn sigterm_answers_every_request_in_flight_ignores_idle_connections_and_exits_0() {
    let in_flight = scale::size("requests in flight at SIGTERM", 20, 100);
    let idle = scale::size("idle and half-sent connections at SIGTERM", 50, 500);
    let (_dir, server, refresh) = start("10s").await;
    let public_key =
        key_from_pem(&text(send(client().get(url(&server, "/public.pem"))).await).await);
    let mut requests = JoinSet::new();
    hold_refreshes(&server, &refresh, in_flight, "2s", &mut requests).await;
    let _idle = idle_connections(&server.base, idle).await;

    server.send_sigterm().await;
    let signalled = Instant::now();
    let finished = server.wait(Duration::from_secs(15)).await;
    let exited_after = signalled.elapsed();
    let answers = requests.join_all().await;
    eprintln!(
        "{in_flight} requests in flight and {idle} idle connections: exit 0 after {exited_after:?}"
    );

    assert_eq!(finished.status.code(), Some(0), "{}", finished.stderr);
    for answer in answers {
        let (status, body) = answer.expect("every request in flight is answered");
        assert_eq!(status, 200, "{body}");
        assert!(Jwt::parse(&body).verifies_with(&public_key), "a whole JWT");
    }
    // The delay ends within 2 s; the header and drain timeouts (10 s) are not waited for.
    assert!(
        exited_after < Duration::from_secs(5),
        "exit after {exited_after:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "slow suite: cargo test --test slow -- --ignored"]
async fn a_request_outlasting_the_drain_timeout_is_cut_off_and_the_process_exits_0_then() {
    let (_dir, server, refresh) = start("2s").await;
    let mut requests = JoinSet::new();
    hold_refreshes(&server, &refresh, 1, "20s", &mut requests).await;

    server.send_sigterm().await;
    let signalled = Instant::now();
    let finished = server.wait(Duration::from_secs(10)).await;
    let exited_after = signalled.elapsed();
    let answer = requests.join_all().await.remove(0);
    eprintln!("a request held 20 s, drain timeout 2 s: exit 0 after {exited_after:?}");

    assert_eq!(finished.status.code(), Some(0), "{}", finished.stderr);
    assert!(answer.is_err(), "cut off, not answered: {answer:?}");
    let window = Duration::from_millis(1_900)..Duration::from_secs(4);
    assert!(
        window.contains(&exited_after),
        "exit after {exited_after:?}"
    );
}

/// The binary, headless, with `drain_timeout`, and a refresh token from its `/connect`; the
/// directory it runs in lives as long as the returned handle.
async fn start(drain_timeout: &str) -> (tempfile::TempDir, ServerProcess, String) {
    let sections = format!("[server]\ndrain_timeout = {drain_timeout:?}\n");
    let (dir, config) = server_dir(&Setup::headless(USER_NICK).with_sections(&sections));
    let server = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    let connect = url(
        &server,
        &format!("/connect?{}", connect_query(KEY_WITH_REFRESH, APP_CALLBACK)),
    );
    let login = send(client().get(connect)).await;
    let refresh = Tokens::from_redirect(&login).refresh().to_owned();
    (dir, server, refresh)
}

/// `count` refreshes, each held `delay` by a fault; returns once all of them are in the delay
/// (the fault, used up, is no longer listed).
async fn hold_refreshes(
    server: &ServerProcess,
    refresh: &str,
    count: usize,
    delay: &str,
    requests: &mut JoinSet<Result<(u16, String), reqwest::Error>>,
) {
    let api = Client::new();
    let fault = json!({"route": "/refresh", "delay": delay, "times": count});
    let queued = send(api.post(url(server, "/_emulator/faults")).json(&fault)).await;
    assert_eq!(queued.status(), 201);
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", refresh)]);
    for _ in 0..count {
        let request = client().get(url(server, &format!("/refresh?{query}")));
        requests.spawn(async move {
            let response = request.send().await?;
            Ok((response.status().as_u16(), response.text().await?))
        });
    }
    let started = Instant::now();
    loop {
        let listing: Value = get_json(&api, &url(server, "/_emulator/faults")).await;
        if listing["faults"].as_array().is_some_and(Vec::is_empty) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{listing}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// `count` connections: half answered once and idle (keep-alive), half with half a request head.
async fn idle_connections(base: &str, count: usize) -> Vec<TcpStream> {
    let mut connections = vec![];
    for n in 0..count {
        let mut stream = tcp(base).await;
        if n % 2 == 0 {
            stream
                .write_all(&raw("GET", "/health/live", &[], b""))
                .await
                .unwrap();
            assert!(read_head(&mut stream).await.starts_with("HTTP/1.1 200"));
        } else {
            stream
                .write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
                .await
                .unwrap();
        }
        connections.push(stream);
    }
    connections
}

fn url(server: &ServerProcess, path: &str) -> String {
    format!("{}{path}", server.base)
}
