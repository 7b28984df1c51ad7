//! Limits (`docs/protocol.md#operations`, `docs/reliability.md#hostile-input`,
//! `docs/reliability.md#slow-clients`): oversized heads and bodies, slow clients
//! cut off at the header read timeout, and load shedding beyond the concurrency cap.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use uitid_emulator::config::{DEFAULT_CONFIG, Settings, settings_from_toml};
use uitid_emulator::testing::TestServer;

use crate::support::*;

fn settings(edit: impl FnOnce(&mut Settings)) -> Settings {
    let mut settings = settings_from_toml(DEFAULT_CONFIG).expect("the sample config is valid");
    edit(&mut settings);
    settings
}

async fn status_of(url: String) -> u16 {
    send(reqwest::Client::new().get(url))
        .await
        .status()
        .as_u16()
}
/// `(case, raw request, acceptable statuses)`. Raw TCP because HTTP client libraries refuse
/// to send a 1 MiB request target (their URI types stop at 64 KiB).
fn oversized_requests() -> Vec<(&'static str, Vec<u8>, &'static [u16])> {
    let query = |size: usize| format!("/oob?jwt={}", "a".repeat(size));
    let get = |target: &str, headers: &[String]| raw("GET", target, headers, b"");
    let many_headers: Vec<String> = (0..200).map(|i| format!("x-header-{i}: v")).collect();
    let big_header = [format!("x-big: {}", "b".repeat(64 * 1024))];
    let form = ["content-type: application/x-www-form-urlencoded".to_owned()];
    vec![
        (
            "16 KiB query, like a JWT",
            get(&query(16 * 1024), &[]),
            &[200],
        ),
        (
            "one 64 KiB header",
            get("/health/live", &big_header),
            &[431],
        ),
        ("1 MiB query string", get(&query(1 << 20), &[]), &[414, 431]),
        ("200 headers", get("/health/live", &many_headers), &[431]),
        (
            "100 KiB body",
            raw("POST", "/login", &form, &[b'a'; 100 * 1024]),
            &[413],
        ),
    ]
}

#[tokio::test]
async fn oversized_heads_get_431_and_bodies_413_quickly_and_the_next_request_works() {
    let app = TestApp::spawn().await;

    for (case, request, expected) in oversized_requests() {
        let started = Instant::now();
        let status = exchange(&app.address, request).await;
        let elapsed = started.elapsed();
        let next = app.get("/health/live").await;

        assert!(expected.contains(&status), "{case}: {status}");
        assert!(elapsed < Duration::from_secs(5), "{case}: took {elapsed:?}");
        assert_eq!(next.status(), 200, "after {case}");
    }
}

/// `docs/reliability.md#slow-clients`: a client sending a header byte now and then is closed once
/// `server.header_read_timeout` has passed since the connection opened.
#[tokio::test]
async fn a_client_trickling_its_request_head_is_cut_off_at_the_header_timeout_while_others_are_served()
 {
    let server = TestServer::builder()
        .settings(settings(|s| {
            s.server.header_read_timeout = Duration::from_secs(1)
        }))
        .start()
        .await;
    let mut slow = tcp(server.base_url()).await;
    let started = Instant::now();
    slow.write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let served_meanwhile = status_of(server.url("/public.pem")).await;

    let mut received = vec![];
    let closed_after = loop {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still open after 10 s"
        );
        if slow.write_all(b"a").await.is_err() {
            break started.elapsed();
        }
        let mut buffer = [0; 1024];
        match tokio::time::timeout(Duration::from_millis(200), slow.read(&mut buffer)).await {
            Err(_still_open) => {}
            Ok(Ok(0) | Err(_)) => break started.elapsed(),
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
        }
    };
    let served_after = status_of(server.url("/public.pem")).await;

    assert!(
        closed_after >= Duration::from_millis(500),
        "cut off at once: {closed_after:?}"
    );
    assert!(
        !String::from_utf8_lossy(&received).contains(" 200 "),
        "never answered 200"
    );
    assert_eq!(
        (served_meanwhile, served_after),
        (200, 200),
        "others are served"
    );
}

/// Opens `POST /login` with `Expect: 100-continue` and a declared body that is not sent:
/// hyper answers `100 Continue` only when the handler starts reading the body, so the request
/// then provably holds one of the concurrency slots.
async fn request_waiting_for_its_body(base_url: &str) -> TcpStream {
    let mut stream = tcp(base_url).await;
    let head = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Content-Length: 10\r\nExpect: 100-continue\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let interim = read_head(&mut stream).await;
    assert!(
        interim.starts_with("HTTP/1.1 100"),
        "interim response {interim:?}"
    );
    stream
}

#[tokio::test]
async fn beyond_the_concurrency_cap_requests_get_a_fast_503_with_retry_after_and_health_still_answers()
 {
    let server = TestServer::builder()
        .settings(settings(|s| {
            s.server.max_concurrent_requests = 2;
            s.server.request_timeout = Duration::from_secs(60);
        }))
        .start()
        .await;
    let mut slow = vec![];
    for _ in 0..2 {
        slow.push(request_waiting_for_its_body(server.base_url()).await);
    }

    let started = Instant::now();
    let shed = send(reqwest::Client::new().get(server.url("/public.pem"))).await;
    let shed_after = started.elapsed();
    let health = [
        status_of(server.url("/health/live")).await,
        status_of(server.url("/health/ready")).await,
    ];
    for stream in &mut slow {
        stream.write_all(b"flow=x&a=b").await.unwrap();
        let answer = read_head(stream).await;
        assert!(
            !answer.starts_with("HTTP/1.1 5"),
            "the slow request finishes: {answer:?}"
        );
    }
    let recovered = status_of(server.url("/public.pem")).await;

    assert_eq!(shed.status(), 503, "the excess request is shed");
    assert_eq!(header(&shed, "retry-after"), Some("1"));
    assert!(
        shed_after < Duration::from_secs(2),
        "shed at once, not queued: {shed_after:?}"
    );
    assert_eq!(
        health,
        [200, 200],
        "health routes are outside load shedding"
    );
    assert_eq!(
        recovered, 200,
        "normal requests succeed once the slow ones finished"
    );
}
