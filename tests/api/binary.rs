//! The built `uitid-emulator` binary as a child process: its own config file and database in a
//! temporary directory, stdout and stderr captured to files, stopped with a real SIGTERM.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tempfile::TempDir;
use tokio::process::{Child, Command};

use crate::helpers::Setup;

const BINARY: &str = env!("CARGO_BIN_EXE_uitid-emulator");

pub struct RunningBinary {
    pub base: String,
    child: Child,
    dir: TempDir,
}

/// What the process left behind.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// A port that was free a moment ago (the binary does not report the port 0 picked).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// The binary with `args`, run in `dir`, without any inherited `UITID_EMULATOR__` setting.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BINARY);
    command.args(args).current_dir(dir).kill_on_drop(true);
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("UITID_EMULATOR__")) {
        command.env_remove(name);
    }
    command
}

impl RunningBinary {
    /// Starts `serve --config FILE` with `RUST_LOG=trace` and waits until it answers.
    pub async fn start(setup: &Setup) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, setup.toml("127.0.0.1:0", dir.path())).expect("config written");
        let listen = format!("127.0.0.1:{}", free_port());
        let base = format!("http://{listen}");
        let capture =
            |name: &str| std::fs::File::create(dir.path().join(name)).expect("a log file");
        let child = command(
            dir.path(),
            &["serve", "--config", &config.display().to_string()],
        )
        .env("RUST_LOG", "trace")
        .env("UITID_EMULATOR__SERVER__LISTEN", &listen)
        .env("UITID_EMULATOR__SERVER__PUBLIC_URL", &base)
        .stdout(Stdio::from(capture("stdout.log")))
        .stderr(Stdio::from(capture("stderr.log")))
        .spawn()
        .expect("the binary starts");
        let running = Self { base, child, dir };
        running.wait_until_ready().await;
        running
    }

    async fn wait_until_ready(&self) {
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client
                .get(format!("{}/public.pem", self.base))
                .send()
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the binary did not answer within 10 s; stderr: {}",
            self.read("stderr.log")
        );
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("a running process")
    }

    /// Sends SIGTERM and waits (at most 10 s) for the process to exit.
    pub async fn terminate(mut self) -> Finished {
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(kill.success(), "SIGTERM was delivered");
        let status = tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .expect("the process exits within 10 s of SIGTERM")
            .expect("an exit status");
        Finished {
            status,
            stdout: self.read("stdout.log"),
            stderr: self.read("stderr.log"),
        }
    }

    fn read(&self, name: &str) -> String {
        let path: PathBuf = self.dir.path().join(name);
        String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
    }
}
