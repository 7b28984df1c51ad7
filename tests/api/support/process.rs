//! The built `uitid-emulator` binary as a child process: a command run to completion, or
//! `serve` with stdout and stderr captured to files and stopped with a real SIGTERM, optionally
//! as an unprivileged user.

use std::net::SocketAddr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio::process::{Child, Command};
use uitid_emulator::testing::shared_test_key;

use super::setup::{KeyChoice, Setup};

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
    let key = dir.path().join("signing-key.pem");
    let pem = match &setup.key {
        KeyChoice::Shared => Some(shared_test_key().expect("an RSA key").to_owned()),
        KeyChoice::File(file) => Some(std::fs::read_to_string(file).expect("the key file")),
        KeyChoice::Generated => None,
    };
    if let Some(pem) = pem {
        std::fs::write(&key, pem).expect("the key is written");
        setup.key = KeyChoice::File(key.clone());
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
    /// Serves from `dir` on port 0 with `env` overrides; returns once the server has logged the
    /// address it bound (from then on it accepts connections).
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
        // Port 0: the server picks a free port and logs it, so no port is ever guessed.
        let mut env = env.to_vec();
        env.push(("UITID_EMULATOR__SERVER__LISTEN", "127.0.0.1:0".to_owned()));
        if !env.iter().any(|(name, _)| *name == "RUST_LOG") {
            // The address is logged at `info`; a developer's own RUST_LOG must not hide it.
            env.push(("RUST_LOG", "info".to_owned()));
        }
        let mut command = serve(config, &env, unprivileged);
        let log = |name: &str| Stdio::from(std::fs::File::create(dir.join(name)).expect("a log"));
        command.current_dir(dir);
        command.stdout(log("stdout.log")).stderr(log("stderr.log"));
        let mut child = command.spawn().expect("the binary starts");
        let address = wait_for_address(&mut child, dir).await;
        Self {
            base: format!("http://{address}"),
            port: address.port(),
            child,
            dir: dir.to_owned(),
        }
    }

    /// What the server printed on stdout and stderr so far.
    pub fn logs(&self) -> String {
        logs(&self.dir)
    }

    /// Sends SIGTERM and waits (at most 10 s) for the exit.
    pub async fn terminate(self) -> Finished {
        self.send_sigterm().await;
        self.wait(Duration::from_secs(10)).await
    }

    /// The server's process id (for `/proc/<pid>/status`).
    pub fn pid(&self) -> u32 {
        self.child.id().expect("still running")
    }

    /// SIGKILL (`kill -9`): no shutdown code runs. Returns the status, which names the signal.
    #[allow(dead_code)] // only the slow suite (tests/slow) crashes a server
    pub async fn kill_9(mut self) -> ExitStatus {
        self.child.kill().await.expect("SIGKILL delivered");
        self.child.wait().await.expect("an exit status")
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
        let (stdout, stderr) = (read(&self.dir, "stdout.log"), read(&self.dir, "stderr.log"));
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

/// How long the binary may take to log its address: generous, since a debug build on a busy
/// machine may have to generate an RSA key first.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// Waits for the server's `uitid-emulator listening` line on stdout (logged once the port is
/// bound, so connections are accepted from then on) and returns the address in it.
async fn wait_for_address(child: &mut Child, dir: &Path) -> SocketAddr {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if let Some(address) = listening_address(&read(dir, "stdout.log")) {
            return address;
        }
        if let Some(status) = child.try_wait().expect("the child can be polled") {
            panic!(
                "the server exited ({status}) before logging `uitid-emulator listening`:\n{}",
                logs(dir)
            );
        }
        if Instant::now() > deadline {
            panic!(
                "the server did not log `uitid-emulator listening` within {STARTUP_TIMEOUT:?}:\n{}",
                logs(dir)
            );
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The `address` of the first complete `uitid-emulator listening` line in `log`, written by
/// `Application::run_until` in either log format: pretty (`... uitid-emulator listening
/// address=127.0.0.1:4321`, as `examples/clients/run.sh` reads it too) or JSON (the message and
/// the address under `fields`). A line still being written is skipped, since it might end in
/// the middle of the port.
fn listening_address(log: &str) -> Option<SocketAddr> {
    log.split_inclusive('\n')
        .filter_map(|line| line.strip_suffix('\n'))
        .find_map(
            |line| match serde_json::from_str::<serde_json::Value>(line) {
                Ok(json) if json["fields"]["message"] == LISTENING => {
                    json["fields"]["address"].as_str()?.parse().ok()
                }
                Ok(_) => None,
                Err(_) if line.contains(LISTENING) => {
                    let (_, after) = line.split_once("address=")?;
                    after.split_whitespace().next()?.parse().ok()
                }
                Err(_) => None,
            },
        )
}

const LISTENING: &str = "uitid-emulator listening";

/// Stdout and stderr of the server in `dir` so far.
fn logs(dir: &Path) -> String {
    let (stdout, stderr) = (read(dir, "stdout.log"), read(dir, "stderr.log"));
    format!("--- stdout ---\n{stdout}--- stderr ---\n{stderr}")
}

fn read(dir: &Path, name: &str) -> String {
    String::from_utf8_lossy(&std::fs::read(dir.join(name)).unwrap_or_default()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::listening_address;

    #[test]
    fn the_listening_address_is_read_from_a_complete_pretty_or_json_log_line() {
        let cases = [
            (
                "2025-01-01T00:00:00.000001Z  INFO uitid_emulator::startup: uitid-emulator listening address=127.0.0.1:4321\n",
                Some("127.0.0.1:4321"),
                "a pretty line",
            ),
            (
                "...: uitid-emulator listening address=[::1]:4321\n",
                Some("[::1]:4321"),
                "a pretty line with an IPv6 address",
            ),
            (
                r#"{"timestamp":"t","level":"INFO","fields":{"message":"uitid-emulator listening","address":"127.0.0.1:4321"},"target":"uitid_emulator::startup"}"#,
                None,
                "a JSON line not finished yet",
            ),
            (
                "{\"level\":\"INFO\",\"fields\":{\"message\":\"uitid-emulator listening\",\"address\":\"127.0.0.1:4321\"}}\n",
                Some("127.0.0.1:4321"),
                "a JSON line",
            ),
            (
                "INFO uitid_emulator::startup: uitid-emulator listening address=127.0.0.1:43",
                None,
                "a pretty line cut off in the middle of the port",
            ),
            (
                "INFO x: generated a new RSA-2048 signing key\nINFO uitid_emulator::startup: uitid-emulator listening address=127.0.0.1:4321\n",
                Some("127.0.0.1:4321"),
                "the line after others",
            ),
            (
                "{\"fields\":{\"message\":\"uitid-emulator stopped\",\"address\":\"127.0.0.1:1\"}}\n",
                None,
                "a JSON line with another message",
            ),
            ("", None, "nothing logged yet"),
        ];
        for (log, expected, case) in cases {
            let expected = expected.map(|a| a.parse().expect("a socket address"));
            assert_eq!(listening_address(log), expected, "{case}");
        }
    }
}
