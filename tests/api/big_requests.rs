//! `docs/reliability.md#hostile-input`: request heads of up to 8 MiB, again and again, on the
//! built binary. Each is refused quickly (a 16 KiB query, the size of a real keycloak token in a
//! URL, is served), the next request works, and the process's memory stays flat: hyper reads at
//! most 32 KiB of a head before it answers (`src/server/mod.rs`).

use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::support::*;

const ROUNDS: usize = 10;

/// `(case, raw request, acceptable statuses)`.
fn requests() -> Vec<(&'static str, Vec<u8>, &'static [u16])> {
    let query = |size: usize| format!("/oob?jwt={}", "a".repeat(size));
    let get = |target: &str, headers: &[String]| raw("GET", target, headers, b"");
    let many_headers: Vec<String> = (0..200).map(|i| format!("x-header-{i}: v")).collect();
    let big_header = [format!("x-big: {}", "b".repeat(64 * 1024))];
    vec![
        ("8 MiB query string", get(&query(8 << 20), &[]), &[414, 431]),
        ("1 MiB query string", get(&query(1 << 20), &[]), &[414, 431]),
        ("200 headers", get("/health/live", &many_headers), &[431]),
        (
            "one 64 KiB header",
            get("/health/live", &big_header),
            &[431],
        ),
        (
            "16 KiB query, like a JWT",
            get(&query(16 << 10), &[]),
            &[200],
        ),
    ]
}

/// The resident memory of process `pid`, in KiB.
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("procfs");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// All of [`requests`] at once; the slowest answer.
async fn round(base: &str) -> Duration {
    let mut sent = JoinSet::new();
    for (case, request, expected) in requests() {
        let base = base.to_owned();
        sent.spawn(async move {
            let started = Instant::now();
            let status = exchange(&base, request).await;
            assert!(expected.contains(&status), "{case}: {status}");
            started.elapsed()
        });
    }
    sent.join_all().await.into_iter().max().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heads_of_up_to_8_mib_are_refused_quickly_again_and_again_with_flat_memory() {
    let (dir, config) = server_dir(&Setup::default());
    let server = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    round(&server.base).await; // buffers and allocator warmed up
    let before = resident_kib(server.pid());

    let mut slowest = Duration::ZERO;
    for _ in 0..ROUNDS {
        slowest = slowest.max(round(&server.base).await);
    }
    let after = resident_kib(server.pid());
    let next = send(client().get(format!("{}/health/ready", server.base))).await;
    eprintln!(
        "{ROUNDS} rounds of 5 oversized heads (8 MiB to 16 KiB): slowest answer {slowest:?}, \
         resident memory {before} KiB before, {after} KiB after"
    );

    assert!(
        slowest < Duration::from_secs(5),
        "slowest answer {slowest:?}"
    );
    assert!(
        after < before + 8 * 1024,
        "memory grew from {before} KiB to {after} KiB"
    );
    assert_eq!(next.status(), 200, "the next request works");
    assert!(server.terminate().await.status.success());
}
