//! A test process's own PostgreSQL cluster, and how it ends with the process (see the parent
//! module for why each part is there).

use std::fs::{self, File};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{OnceLock, mpsc};
use std::time::{Duration, Instant};

/// Where Debian's `postgresql-15` puts the server binaries, for a PATH without them.
const DEBIAN_BINARIES: &str = "/usr/lib/postgresql/15/bin";
/// `nobody` / `nogroup` on Debian.
const NOBODY: u32 = 65534;
const INITDB: &str = "--auth=trust --username=emu --encoding=UTF8 --locale=C --no-sync";
/// Durability is worth nothing in a throwaway cluster; three servers per test need connections.
const SETTINGS: [&str; 3] = [
    "listen_addresses=127.0.0.1",
    "fsync=off",
    "max_connections=300",
];
const READY: &str = "database system is ready to accept connections";

/// The running cluster, for [`stop`].
struct Running {
    pid: libc::pid_t,
    dir: PathBuf,
    lock: PathBuf,
    _held: File,
}
static RUNNING: OnceLock<Running> = OnceLock::new();

/// Starts the cluster; its superuser URL on the `postgres` database.
pub fn start() -> String {
    let parent = std::env::temp_dir().join("uitid-test-postgres");
    fs::create_dir_all(&parent).expect("the clusters' directory");
    remove_stale(&parent);
    let name = uuid::Uuid::new_v4().simple().to_string();
    let (lock, dir) = (parent.join(format!("{name}.lock")), parent.join(name));
    // Locked before it is named `.lock`, so that no other process's sweep takes it for stale.
    let new = lock.with_extension("new");
    let held = File::create_new(&new).expect("a lock file");
    held.try_lock().expect("a new lock file is free");
    fs::rename(&new, &lock).expect("the lock file is named");
    fs::create_dir(&dir).expect("the cluster's directory");
    if is_root() {
        std::os::unix::fs::chown(&dir, Some(NOBODY), Some(NOBODY)).expect("chown to nobody");
    }
    let initdb = server_command("initdb", &dir)
        .args(INITDB.split(' '))
        .arg("--pgdata=data")
        .output()
        .expect("initdb runs (Debian: apt-get install postgresql-15)");
    let output = String::from_utf8_lossy(&initdb.stderr);
    assert!(initdb.status.success(), "initdb: {output}");
    // A free port can be taken before the postmaster binds it: then another one.
    for _ in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr());
        let port = port.expect("a free port").port();
        if let Some(pid) = postmaster(&dir, port) {
            let running = Running {
                pid,
                dir,
                lock,
                _held: held,
            };
            assert!(RUNNING.set(running).is_ok(), "one cluster per process");
            // SAFETY: registers an `extern "C" fn` without arguments, as atexit expects.
            unsafe { libc::atexit(stop) };
            return format!("postgres://emu@127.0.0.1:{port}/postgres");
        }
    }
    panic!("postgres did not start:\n{}", log(&dir));
}

/// Starts the postmaster on `port` and waits until it is ready; `None` when it exits first.
fn postmaster(dir: &Path, port: u16) -> Option<libc::pid_t> {
    let log = File::create(dir.join("postgres.log")).expect("the server log");
    let mut command = server_command("postgres", dir);
    command
        .args(["-D", "data", "-p", &port.to_string(), "-k"])
        .arg(dir);
    command.args(SETTINGS.iter().flat_map(|setting| ["-c", setting]));
    command.stdout(log.try_clone().unwrap()).stderr(log);
    // SAFETY: in the child between fork and exec, a single async-signal-safe call: SIGQUIT
    // when the thread below ends.
    unsafe { command.pre_exec(die_with_parent) };
    let (started, exited) = (mpsc::channel(), mpsc::channel());
    std::thread::spawn(move || match command.spawn() {
        Ok(mut child) => {
            let _ = started.0.send(Ok(child.id() as libc::pid_t));
            let _ = exited.0.send(child.wait());
        }
        Err(e) => drop(started.0.send(Err(e))),
    });
    let pid = started.1.recv().unwrap().expect("postgres runs");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !self::log(dir).contains(READY) {
        if exited.1.try_recv().is_ok() {
            return None;
        }
        let log = self::log(dir);
        assert!(Instant::now() < deadline, "postgres ready in 30 s:\n{log}");
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(pid)
}

fn die_with_parent() -> std::io::Result<()> {
    // SAFETY: sets a flag of the calling process; no memory is involved.
    match unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

/// `program` in `dir`, found on the PATH or in [`DEBIAN_BINARIES`], as `nobody` when root.
fn server_command(program: &str, dir: &Path) -> Command {
    let path = std::env::var("PATH").unwrap_or_default();
    let mut command = Command::new(program);
    command.env("PATH", format!("{path}:{DEBIAN_BINARIES}"));
    command.current_dir(dir).stdin(Stdio::null());
    if is_root() {
        command.uid(NOBODY).gid(NOBODY);
    }
    command
}

/// At exit: immediate shutdown, at most 5 s for it, then the directory goes.
extern "C" fn stop() {
    let Some(running) = RUNNING.get() else { return };
    // SAFETY: kill only sends a signal; signal 0 only asks whether the process still exists
    // (until the thread of `postmaster` has waited for it).
    let alive = || unsafe { libc::kill(running.pid, 0) } == 0;
    unsafe { libc::kill(running.pid, libc::SIGQUIT) };
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = fs::remove_dir_all(&running.dir);
    let _ = fs::remove_file(&running.lock);
}

/// Removes the clusters whose lock nobody holds any more: their process is gone.
fn remove_stale(parent: &Path) {
    for entry in fs::read_dir(parent).into_iter().flatten().flatten() {
        let lock = entry.path();
        if lock.extension().is_none_or(|e| e != "lock") {
            continue;
        }
        if File::open(&lock).is_ok_and(|file| file.try_lock().is_ok()) {
            let _ = fs::remove_dir_all(lock.with_extension(""));
            let _ = fs::remove_file(&lock);
        }
    }
}

fn log(dir: &Path) -> String {
    fs::read_to_string(dir.join("postgres.log")).unwrap_or_default()
}

fn is_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}
