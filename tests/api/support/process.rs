//! The built `uitid-emulator` binary as a child process: a command run to completion, or
//! `serve` with stdout and stderr captured to files and stopped with a real SIGTERM, optionally
//! as an unprivileged user.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio::process::{Child, Command};

use super::setup::Setup;

const BINARY: &str = env!("CARGO_BIN_EXE_uitid-emulator");
/// `nobody` / `nogroup` on Debian.
const UNPRIVILEGED: u32 = 65534;

/// What a finished run of the binary left.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// `program` with `args` and `env`, without any inherited `UITID_EMULATOR__` setting (the
/// developer's own overrides must not leak into the tests).
fn command(program: &str, args: &[&str], env: &[(&str, String)]) -> Command {
    let mut command = Command::new(program);
    command.args(args).kill_on_drop(true);
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("UITID_EMULATOR__")) {
        command.env_remove(name);
    }
    command.envs(env.iter().map(|(k, v)| (*k, v)));
    command
}

/// Runs the binary with `args` and `env` until it exits by itself, at most 10 s (a `serve`
/// that wrongly starts would otherwise run forever). It runs in the temporary directory, so
/// nothing it might write relative to its working directory lands in the source tree.
pub async fn run(args: &[&str], env: &[(&str, String)]) -> Ran {
    let mut command = command(BINARY, args, env);
    command.current_dir(std::env::temp_dir());
    let output = tokio::time::timeout(Duration::from_secs(10), command.output()).await;
    let output = output
        .expect("the binary exits by itself within 10 s")
        .expect("it runs");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The process runs as root (file permissions do not stop root).
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").expect("procfs").uid() == 0
}

/// A temporary directory with `config.toml` for `setup` (database `db.sqlite`) and a copy of
/// its key, all owned by the unprivileged user when this process is root, so that a server
/// run as that user can read them.
pub fn server_dir(setup: &Setup) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut setup = setup.clone();
    let mut owned = vec![dir.path().to_owned()];
    if let Some(shared) = &setup.key_file {
        let key = dir.path().join("signing-key.pem");
        std::fs::copy(shared, &key).expect("the key is copied");
        setup.key_file = Some(key.clone());
        owned.push(key);
    }
    let config = dir.path().join("config.toml");
    std::fs::write(&config, setup.toml("127.0.0.1:0", dir.path())).expect("config written");
    owned.push(config.clone());
    if is_root() {
        for path in owned {
            std::os::unix::fs::chown(path, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).unwrap();
        }
    }
    (dir, config)
}

/// What a stopped server left.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// `uitid-emulator [--config FILE] serve` as a child process, logging to files in its directory.
pub struct ServerProcess {
    pub base: String,
    pub port: u16,
    child: Child,
    dir: PathBuf,
}

impl ServerProcess {
    /// Serves from `dir` on a free port with `env` overrides; returns once `/health/live`
    /// answers.
    pub async fn start(dir: &Path, config: Option<&Path>, env: &[(&str, String)]) -> Self {
        Self::launch(dir, config, env, false).await
    }

    /// The same as the unprivileged user when this process is root, since root ignores the
    /// file permissions a test may take away.
    pub async fn start_unprivileged(dir: &Path, config: Option<&Path>) -> Self {
        Self::launch(dir, config, &[], true).await
    }

    async fn launch(
        dir: &Path,
        config: Option<&Path>,
        env: &[(&str, String)],
        unprivileged: bool,
    ) -> Self {
        // The binary does not report the port 0 picked, so take one that was free a moment ago.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let listen = [
            (
                "UITID_EMULATOR__SERVER__LISTEN",
                format!("127.0.0.1:{port}"),
            ),
            ("UITID_EMULATOR__SERVER__PUBLIC_URL", base.clone()),
        ];
        let mut command = serve(config, &[env, &listen].concat(), unprivileged);
        let log = |name: &str| Stdio::from(std::fs::File::create(dir.join(name)).expect("a log"));
        command.current_dir(dir);
        command.stdout(log("stdout.log")).stderr(log("stderr.log"));
        let child = command.spawn().expect("the binary starts");
        let dir = dir.to_owned();
        let server = Self {
            base,
            port,
            child,
            dir,
        };
        server.wait_until_live().await;
        server
    }

    async fn wait_until_live(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(response) = reqwest::get(format!("{}/health/live", self.base)).await {
                assert_eq!(response.status(), 200, "/health/live");
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the server did not come up: {}", self.logs());
    }

    /// What the server printed on stdout and stderr so far.
    pub fn logs(&self) -> String {
        self.read("stdout.log") + &self.read("stderr.log")
    }

    fn read(&self, name: &str) -> String {
        String::from_utf8_lossy(&std::fs::read(self.dir.join(name)).unwrap_or_default())
            .into_owned()
    }

    /// Sends SIGTERM and waits (at most 10 s) for the exit.
    pub async fn terminate(self) -> Finished {
        self.send_sigterm().await;
        self.wait(Duration::from_secs(10)).await
    }

    pub async fn send_sigterm(&self) {
        let pid = self.child.id().expect("still running").to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().await;
        assert!(killed.expect("kill runs").success(), "SIGTERM delivered");
    }

    /// Waits for the exit, failing the test if it takes longer than `within`.
    pub async fn wait(mut self, within: Duration) -> Finished {
        let status = tokio::time::timeout(within, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("the server exits within {within:?}"))
            .expect("an exit status");
        let (stdout, stderr) = (self.read("stdout.log"), self.read("stderr.log"));
        Finished {
            status,
            stdout,
            stderr,
        }
    }
}

/// `[setpriv --reuid=nobody… --] uitid-emulator [--config FILE] serve`.
fn serve(config: Option<&Path>, env: &[(&str, String)], unprivileged: bool) -> Command {
    let config = config.map(|c| c.display().to_string());
    let mut args: Vec<&str> = config.iter().flat_map(|c| ["--config", c]).collect();
    args.push("serve");
    if !(unprivileged && is_root()) {
        return command(BINARY, &args, env);
    }
    let ids = format!("--reuid={UNPRIVILEGED} --regid={UNPRIVILEGED} --clear-groups --");
    let setpriv: Vec<&str> = ids.split(' ').chain([BINARY]).chain(args).collect();
    command("setpriv", &setpriv, env)
}
