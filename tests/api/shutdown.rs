//! `docs/reliability.md#crashes-and-restarts`: SIGTERM with a request in flight and an idle,
//! half-sent connection. The request is answered; the idle connection does not hold the process
//! until a timeout.

use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::support::*;

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_and_does_not_wait_for_idle_connections() {
    let (dir, config) = server_dir(&Setup::default());
    let running = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    let mut half_sent = tcp(&running.base).await;
    half_sent
        .write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("half a request head is sent");
    let mut in_flight = tcp(&running.base).await;
    let head = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Content-Length: 9\r\nExpect: 100-continue\r\n\r\n";
    in_flight
        .write_all(head.as_bytes())
        .await
        .expect("the head is sent");
    // hyper answers 100 Continue only once the handler reads the body: the request is in flight.
    let interim = read_head(&mut in_flight).await;
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");

    running.send_sigterm().await;
    in_flight
        .write_all(b"flow=abcd")
        .await
        .expect("the body is sent after SIGTERM");
    let answer = read_head(&mut in_flight).await;

    assert!(
        answer.starts_with("HTTP/1.1 400"),
        "the request is answered: {answer}"
    );
    // Well before header_read_timeout and drain_timeout (10 s each), despite `half_sent`.
    let finished = running.wait(Duration::from_secs(5)).await;
    assert_eq!(
        finished.status.code(),
        Some(0),
        "stderr: {}",
        finished.stderr
    );
    drop(half_sent);
}
