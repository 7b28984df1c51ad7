//! `docs/reliability.md#crashes-and-restarts`: the database on a filesystem that fills up.
//! Mounting a small tmpfs needs root, so this test is `#[ignore]`d in the README's command and
//! `.ci/run` (which runs as root) runs it: `cargo test --test api -- --ignored full_disk`.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

/// A 16 MiB tmpfs, unmounted when dropped (before its mount point is removed).
struct SmallDisk {
    path: PathBuf,
    _mount_point: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Self {
        let dir = tempfile::tempdir().expect("a mount point");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(mounted.success(), "mounting a tmpfs needs root");
        Self {
            path: dir.path().to_owned(),
            _mount_point: dir,
        }
    }

    /// Writes a file until the filesystem refuses more.
    fn fill(&self) -> PathBuf {
        let path = self.path.join("filler");
        let mut file = std::fs::File::create(&path).expect("a filler file");
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).and_then(|()| file.flush()).is_ok() {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

async fn ready(app: &TestApp) -> (u16, Value) {
    let response = app.get("/health/ready").await;
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn until_ready(app: &TestApp, wanted: u16) -> Duration {
    let started = Instant::now();
    while ready(app).await.0 != wanted {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "readiness never became {wanted}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    started.elapsed()
}

#[tokio::test]
#[ignore = "needs root to mount a tmpfs; .ci/run runs it"]
async fn on_a_full_disk_readiness_is_false_issuing_is_503_and_both_recover_without_a_restart() {
    let disk = SmallDisk::mount();
    let app = Setup::default().spawn_in(&disk.path).await;
    assert_eq!(ready(&app).await.0, 200);
    let refresh = app.refresh_token().await;

    let filler = disk.fill();
    let (status, body) = ready(&app).await;
    assert_eq!(status, 503, "a full disk is not ready: {body}");
    assert_eq!(body["database"], "not writable");
    for attempt in 0..200 {
        let minted = post(
            &app,
            "tokens",
            &json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH}),
        )
        .await;
        let status = minted.status().as_u16();
        assert!(
            status == 200 || status == 503,
            "attempt {attempt}: {status}, never a 500"
        );
        if status == 503 {
            assert!(
                header(&minted, "retry-after").is_some(),
                "503 says when to retry"
            );
        }
    }
    let refreshed = app.refresh_with(KEY_WITH_REFRESH, &refresh).await;
    assert!(
        matches!(refreshed.status().as_u16(), 200 | 503),
        "refresh on a full disk"
    );

    std::fs::remove_file(filler).expect("space back");
    let recovered = until_ready(&app, 200).await;
    eprintln!(
        "readiness recovered {} ms after space came back",
        recovered.as_millis()
    );
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &refresh).await.status(),
        200
    );
    assert!(
        !app.log_in(KEY_WITH_REFRESH, APP_CALLBACK)
            .await
            .refresh()
            .is_empty()
    );
    drop(app);
}
