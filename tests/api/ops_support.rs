//! Helpers for the operations tests: the built binary, as a command or as a server process
//! (optionally as an unprivileged user), and raw HTTP/1.1 over TCP.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

use crate::helpers::Setup;

const BINARY: &str = env!("CARGO_BIN_EXE_uitid-emulator");
/// `nobody` / `nogroup` on Debian.
const UNPRIVILEGED: u32 = 65534;

/// What a finished run of the binary left.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The binary with `args`, without any inherited `UITID_EMULATOR__` setting, plus `env`.
fn binary(program: &str, args: &[&str], env: &[(&str, String)]) -> Command {
    let mut command = Command::new(program);
    command.args(args).kill_on_drop(true);
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("UITID_EMULATOR__")) {
        command.env_remove(name);
    }
    command.envs(env.iter().map(|(k, v)| (*k, v)));
    command
}

/// Runs the binary with `args` and `env` to completion.
pub async fn run(args: &[&str], env: &[(&str, String)]) -> Ran {
    let output = binary(BINARY, args, env).output().await.expect("it runs");
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

/// A temporary directory with `config.toml` (the tests' [`Setup`], database `db.sqlite`) and
/// a copy of the shared key, owned by the unprivileged user when this process is root.
pub fn server_dir() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let key = dir.path().join("signing-key.pem");
    std::fs::copy(crate::setup::shared_key_file(), &key).expect("the key is copied");
    let config = dir.path().join("config.toml");
    let setup = Setup {
        key_file: Some(key.clone()),
        ..Setup::default()
    };
    std::fs::write(&config, setup.toml("127.0.0.1:0", dir.path())).expect("config written");
    if is_root() {
        for path in [dir.path(), &key, &config] {
            std::os::unix::fs::chown(path, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).unwrap();
        }
    }
    (dir, config)
}

/// `uitid-emulator [--config FILE] serve` as a child process, logging to `dir/server.log`.
pub struct ServerProcess {
    pub base: String,
    pub port: u16,
    child: Child,
    log: PathBuf,
}

impl ServerProcess {
    /// Serves on a free port with `env` overrides, as the unprivileged user when
    /// `unprivileged` and this process is root; returns once `/health/live` answers.
    pub async fn start(
        dir: &Path,
        config: Option<&Path>,
        env: &[(&str, String)],
        unprivileged: bool,
    ) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let listen = (
            "UITID_EMULATOR__SERVER__LISTEN",
            format!("127.0.0.1:{port}"),
        );
        let mut command = serve(config, &[env, &[listen]].concat(), unprivileged);
        let log = dir.join("server.log");
        let file = std::fs::File::create(&log).expect("a log file");
        let stdout = file.try_clone().expect("a second handle");
        command.current_dir(dir).stdout(stdout).stderr(file);
        let child = command.spawn().expect("the binary starts");
        let base = format!("http://127.0.0.1:{port}");
        let server = Self {
            base,
            port,
            child,
            log,
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
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits (at most 15 s) for the exit.
    pub async fn terminate(mut self) -> ExitStatus {
        let pid = self.child.id().expect("still running").to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().await;
        assert!(killed.expect("kill runs").success(), "SIGTERM delivered");
        tokio::time::timeout(Duration::from_secs(15), self.child.wait())
            .await
            .expect("the server exits within 15 s of SIGTERM")
            .expect("an exit status")
    }
}

/// `[setpriv --reuid=nobody… --] uitid-emulator [--config FILE] serve`.
fn serve(config: Option<&Path>, env: &[(&str, String)], unprivileged: bool) -> Command {
    let config = config.map(|c| c.display().to_string());
    let mut args: Vec<&str> = config.iter().flat_map(|c| ["--config", c]).collect();
    args.push("serve");
    if !(unprivileged && is_root()) {
        return binary(BINARY, &args, env);
    }
    let ids = format!("--reuid={UNPRIVILEGED} --regid={UNPRIVILEGED} --clear-groups --");
    let setpriv: Vec<&str> = ids.split(' ').chain([BINARY]).chain(args).collect();
    binary("setpriv", &setpriv, env)
}

/// A TCP connection to `base_url` (`http://host:port`).
pub async fn tcp(base_url: &str) -> TcpStream {
    let address = base_url.trim_start_matches("http://");
    TcpStream::connect(address)
        .await
        .expect("the server accepts")
}

/// A raw HTTP/1.1 request with `headers` (each `name: value`) and `body`.
pub fn raw(method: &str, target: &str, headers: &[String], body: &[u8]) -> Vec<u8> {
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: x\r\n");
    for header in headers {
        head.push_str(&format!("{header}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    [head.into_bytes(), body.to_vec()].concat()
}

/// Sends `request` while reading the answer (the server may answer before reading it all);
/// returns the status code.
pub async fn exchange(base_url: &str, request: Vec<u8>) -> u16 {
    let (mut reader, mut writer) = tcp(base_url).await.into_split();
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&request).await;
        writer
    });
    let head = read_head(&mut reader).await;
    writing.abort();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    status.unwrap_or_else(|| panic!("not an HTTP answer: {head:?}"))
}

/// Reads up to and including the blank line that ends a response head (at most 10 s).
pub async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> String {
    let mut head = vec![];
    while !head.ends_with(b"\r\n\r\n") {
        let byte = tokio::time::timeout(Duration::from_secs(10), stream.read_u8()).await;
        head.push(
            byte.expect("an answer within 10 s")
                .expect("an open connection"),
        );
    }
    String::from_utf8(head).expect("an ASCII head")
}
