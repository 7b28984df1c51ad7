//! Start the emulator in-process from Rust tests, the way `wiremock::MockServer::start()` starts
//! a mock: a real server on a random loopback port with its own temporary SQLite database.
//!
//! ```
//! use std::time::Duration;
//! use uitid_emulator::service::MintRequest;
//! use uitid_emulator::testing::TestServer;
//!
//! # #[tokio::main] async fn main() {
//! let server = TestServer::start().await;
//! let tokens = server
//!     .mint(MintRequest {
//!         user: Some("stiksels".into()),
//!         api_key: Some("sample-key-with-refresh".into()),
//!         ..Default::default()
//!     })
//!     .await
//!     .unwrap();
//! let user = |jwt: String| {
//!     reqwest::Client::new()
//!         .get(server.url("/user"))
//!         .bearer_auth(jwt)
//!         .header("x-api-key", "sample-key-with-refresh")
//!         .send()
//! };
//! assert_eq!(user(tokens.jwt.clone()).await.unwrap().status(), 200);
//!
//! server.advance_clock(Duration::from_secs(13 * 3600)).await; // the 12 h token is now expired
//! assert_eq!(user(tokens.jwt).await.unwrap().status(), 401);
//! # }
//! ```
//!
//! Configure it with [`TestServer::builder`]: your own configuration ([`TestServerBuilder::toml`]
//! or [`TestServerBuilder::settings`]), headless login, or a key the server generates and keeps
//! in its database as in production ([`TestServerBuilder::generated_key`]; by default every
//! server of a test process signs with one shared key, since generating RSA keys is slow).
//! [`TestServer::restart`] stops a server gracefully and starts it again on the same database,
//! to check that tokens survive a restart (`docs/reliability.md#crashes-and-restarts`).
//! [`TestServerBuilder::tls_self_signed`] serves HTTPS with a certificate of a local CA that
//! [`TestServer::ca_pem`] hands out, for clients whose URLs name publiq's hosts
//! (`docs/tls.md`).
//!
//! The rate limits on guessing apply as configured (`docs/protocol.md#rate-limits`): past 20
//! failed refreshes or logins from loopback within seconds, a server answers 429. A suite that
//! fails on purpose more often against one server can set `exempt_loopback = true` under
//! `[rate_limits]` in its TOML.
//!
//! Test servers are quiet. Set `TEST_LOG=1` (any value but empty or `0`) to see their logs in
//! the test output, which libtest shows for failing tests (and for all with `--nocapture`);
//! `RUST_LOG` filters them as it does for the binary, default `info`. For example
//! `TEST_LOG=1 RUST_LOG=uitid_emulator=debug cargo test my_test`. A subscriber the test process
//! installed itself is left alone.

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};
use std::time::Duration;

use anyhow::Context;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tracing_subscriber::EnvFilter;

use crate::app::AppState;
use crate::config::{DEFAULT_CONFIG, LoginMode, Settings, settings_from_toml};
use crate::error::ControlError;
use crate::service::{MintRequest, MintedTokens};
use crate::startup::{Application, local_base_url};
use crate::token::SigningKey;

mod oauth;

/// The SQLite file in a server's database directory (the WAL files sit beside it).
const DATABASE_FILE: &str = "db.sqlite";
/// Where a server's copy of the shared test key is written, in its database directory.
const KEY_FILE: &str = "signing-key.pem";

/// A running emulator; stops when dropped (use [`TestServer::stop`] to wait until it has).
pub struct TestServer {
    base_url: String,
    address: SocketAddr,
    state: AppState,
    /// What it was started with, before port 0 was resolved: a restart starts from it again.
    settings: Settings,
    dir: DatabaseDir,
    /// Sending, or dropping it, starts the graceful shutdown.
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

/// A server that has stopped; its database directory lives as long as this does.
pub struct StoppedServer {
    settings: Settings,
    dir: DatabaseDir,
    /// Where it listened: [`StoppedServer::start`] listens there again when it still can.
    address: SocketAddr,
}

/// Configures a [`TestServer`] before it starts.
pub struct TestServerBuilder {
    /// A TOML error is reported by `try_start`, so builder calls can be chained.
    settings: anyhow::Result<Settings>,
    generated_key: bool,
    database_dir: Option<PathBuf>,
    /// A database of the caller's instead of a SQLite file in the database directory.
    database_url: Option<String>,
}

/// A temporary directory removed with the server, or one the caller owns.
enum DatabaseDir {
    Temporary(tempfile::TempDir),
    Given(PathBuf),
}

impl DatabaseDir {
    fn path(&self) -> &Path {
        match self {
            Self::Temporary(dir) => dir.path(),
            Self::Given(path) => path,
        }
    }
}

impl TestServer {
    /// The sample configuration (`config/default.toml`: users `stiksels` and `noemail`, keys
    /// `sample-key-with-refresh` and `sample-key-without-refresh`), interactive login.
    /// Panics when the server cannot start, like a failed test setup should.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    pub fn builder() -> TestServerBuilder {
        let settings =
            settings_from_toml(DEFAULT_CONFIG).expect("the embedded sample configuration is valid");
        TestServerBuilder {
            settings: Ok(settings),
            generated_key: false,
            database_dir: None,
            database_url: None,
        }
    }

    /// `http://127.0.0.1:<port>` (`https://` with TLS), without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `path` (starting with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Tokens for a user and key without a login (like `POST /_emulator/tokens`).
    pub async fn mint(&self, request: MintRequest) -> Result<MintedTokens, ControlError> {
        self.state.mint.mint(&request).await
    }

    /// Moves the emulator clock forward (e.g. past a token's expiry). The clock is stored, like
    /// `POST /_emulator/clock`; panics if the database refuses, as a failed test setup should.
    pub async fn advance_clock(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.state
            .clock
            .advance(seconds)
            .await
            .expect("the clock moves");
    }

    /// Sets the clock's offset from wall time, in seconds (negative: the past).
    pub async fn set_clock_offset(&self, seconds: i64) {
        self.state
            .clock
            .set_offset(seconds)
            .await
            .expect("the clock moves");
    }

    /// Back to wall time, running.
    pub async fn reset_clock(&self) {
        self.state.clock.reset().await.expect("the clock resets");
    }

    /// Unix seconds as the emulator sees them.
    pub fn now(&self) -> i64 {
        self.state.clock.now()
    }

    /// The PEM public key resource servers verify tokens with.
    pub fn public_pem(&self) -> String {
        self.state.keys.public_pem().to_owned()
    }

    /// The address the server listens on (for `reqwest::ClientBuilder::resolve`, say).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The PEM certificate of the local CA that issued the server's certificate, with
    /// [`TestServerBuilder::tls_self_signed`] (what `GET /_emulator/ca.pem` serves); `None`
    /// without it.
    pub fn ca_pem(&self) -> Option<String> {
        self.state.tls.ca_pem().ok().map(str::to_owned)
    }

    /// The services, for anything the methods above do not cover.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The directory holding the database (and the server's copy of the shared test key).
    pub fn database_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite database file; with the server running, its `-wal` and `-shm` files sit
    /// beside it. Meaningless for a server started with [`TestServerBuilder::database_url`].
    pub fn database_path(&self) -> PathBuf {
        self.dir.path().join(DATABASE_FILE)
    }

    /// Stops the server and waits until in-flight requests have finished and the database is
    /// closed. The database stays until the returned handle is dropped. Panics if the server
    /// did not stop cleanly.
    pub async fn stop(self) -> StoppedServer {
        let _ = self.shutdown.send(());
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("uitid-emulator TestServer did not stop cleanly: {e:#}"),
            Err(e) => panic!("uitid-emulator TestServer task failed: {e}"),
        }
        StoppedServer {
            settings: self.settings,
            dir: self.dir,
            address: self.address,
        }
    }

    /// Stops gracefully and starts again with the same settings on the same database, as a
    /// deployment restarts: what the database holds (issued tokens, a generated key, the
    /// clock's setting) survives. The address stays the same unless another process took the
    /// port meanwhile, so read [`TestServer::base_url`] again.
    pub async fn restart(self) -> TestServer {
        self.stop().await.start().await
    }
}

impl StoppedServer {
    /// See [`TestServer::database_dir`].
    pub fn database_dir(&self) -> &Path {
        self.dir.path()
    }

    /// See [`TestServer::database_path`].
    pub fn database_path(&self) -> PathBuf {
        self.dir.path().join(DATABASE_FILE)
    }

    /// Starts again on this database, on the same address if it is still free.
    pub async fn start(self) -> TestServer {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("uitid-emulator TestServer did not restart: {e:#}"))
    }

    async fn try_start(self) -> anyhow::Result<TestServer> {
        launch(self.settings, self.dir, Some(self.address)).await
    }
}

impl TestServerBuilder {
    /// Replaces the configuration with `settings`. The builder still chooses the database,
    /// the listen address and, unless `signing.private_key_file` is set, the signing key.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = Ok(settings);
        self
    }

    /// Replaces the configuration with `toml`, read as a configuration file is
    /// (`docs/protocol.md#configuration`): over the defaults, without the sample users and keys,
    /// so list your own. What the builder chooses is as for [`TestServerBuilder::settings`].
    /// Call it before the other builder methods: it replaces what they set. An invalid
    /// configuration is reported by `start`/`try_start`.
    pub fn toml(mut self, toml: &str) -> Self {
        self.settings =
            settings_from_toml(toml).context("the TestServer configuration is not valid");
        self
    }

    /// `/connect` logs `user` (nick or uid) in at once, with no form.
    pub fn headless(mut self, user: &str) -> Self {
        if let Ok(settings) = &mut self.settings {
            settings.login.mode = LoginMode::Headless;
            settings.login.headless_user = user.to_owned();
        }
        self
    }

    /// HTTPS with `server.tls = "self-signed"` (`docs/tls.md`): a local CA, kept in the
    /// server's database, issues its certificate for `hostnames` (with `localhost`, also for
    /// 127.0.0.1, the address [`TestServer::base_url`] names). Trust [`TestServer::ca_pem`] and
    /// map the hostnames to [`TestServer::address`] in the client.
    pub fn tls_self_signed<S: Into<String>>(
        mut self,
        hostnames: impl IntoIterator<Item = S>,
    ) -> Self {
        if let Ok(settings) = &mut self.settings {
            let server = &mut settings.server;
            server.tls = Some(crate::config::TlsMode::SelfSigned);
            server.tls_cert_file.clear();
            server.tls_key_file.clear();
            server.tls_hostnames = hostnames.into_iter().map(Into::into).collect();
        }
        self
    }

    /// No `signing.private_key_file`: the server generates a key on first start and keeps it
    /// in its database, as in production (`docs/protocol.md#keys`). Slower than the shared
    /// test key used otherwise.
    pub fn generated_key(mut self) -> Self {
        self.generated_key = true;
        self
    }

    /// Keeps the database in `dir` (which must exist) instead of a temporary directory
    /// removed with the server, for inspecting it afterwards or starting two servers on one
    /// database.
    pub fn database_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.database_dir = Some(dir.into());
        self
    }

    /// Serves from the database at `url` (for example a `postgres://` database the caller
    /// created) instead of a SQLite file in the database directory. The caller owns it: it is
    /// neither emptied first nor removed afterwards.
    pub fn database_url(mut self, url: impl Into<String>) -> Self {
        self.database_url = Some(url.into());
        self
    }

    pub async fn start(self) -> TestServer {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("uitid-emulator TestServer did not start: {e:#}"))
    }

    pub async fn try_start(self) -> anyhow::Result<TestServer> {
        let mut settings = self.settings?;
        let dir = match self.database_dir {
            Some(path) => DatabaseDir::Given(path),
            None => DatabaseDir::Temporary(tempfile::tempdir()?),
        };
        settings.server.listen = ([127, 0, 0, 1], 0).into();
        settings.database.url = self
            .database_url
            .unwrap_or_else(|| format!("sqlite://{}", dir.path().join(DATABASE_FILE).display()));
        if self.generated_key {
            settings.signing.private_key_file.clear();
        } else if settings.signing.private_key_file.trim().is_empty() {
            settings.signing.private_key_file = write_shared_test_key(dir.path())?;
        }
        launch(settings, dir, None).await
    }
}

/// The one place a test server starts: builds the application on `settings` (listening on port
/// 0), preferably on `address` instead, and serves it on a task until the returned server is
/// stopped or dropped.
async fn launch(
    settings: Settings,
    dir: DatabaseDir,
    address: Option<SocketAddr>,
) -> anyhow::Result<TestServer> {
    install_test_log();
    // A restart listens where the server did, unless another process took the port meanwhile.
    let again = match address {
        Some(address) => Application::build(listening_at(&settings, address))
            .await
            .ok(),
        None => None,
    };
    let app = match again {
        Some(app) => app,
        None => Application::build(settings.clone()).await?,
    };
    let (base_url, address, state) = (app.base_url(), app.local_addr(), app.state());
    let (shutdown, stopped) = oneshot::channel();
    let task = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    Ok(TestServer {
        base_url,
        address,
        state,
        settings,
        dir,
        shutdown,
        task,
    })
}

/// `settings` on a fixed `address` (the server then takes `public_url` as given).
fn listening_at(settings: &Settings, address: SocketAddr) -> Settings {
    let mut settings = settings.clone();
    settings.server.listen = address;
    settings.server.public_url = local_base_url(address, settings.server.serves_tls());
    settings
}

/// Writes the shared key into `dir` and returns the file's path. Written to a temporary file
/// and renamed, so a second server starting in the same directory never reads half a key.
fn write_shared_test_key(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join(KEY_FILE);
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, shared_test_key()?.as_bytes())?;
    file.persist(&path)?;
    Ok(path.display().to_string())
}

/// One RSA private key (PKCS#8 PEM) per test process: generating a key per server would
/// dominate test time. Public so test suites that build servers themselves can reuse it.
pub fn shared_test_key() -> anyhow::Result<&'static str> {
    static KEY: OnceLock<String> = OnceLock::new();
    if let Some(pem) = KEY.get() {
        return Ok(pem);
    }
    let pem = SigningKey::generate()?.private_pem.clone();
    Ok(KEY.get_or_init(|| pem))
}

/// With `TEST_LOG` requested, installs (once per process) a subscriber writing to the test's
/// captured output.
fn install_test_log() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        if !test_log_requested(std::env::var_os("TEST_LOG").as_deref()) {
            return;
        }
        let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(ansi)
            .with_test_writer()
            .try_init();
    });
}

/// `TEST_LOG=1`, `TEST_LOG=yes` and the like ask for logs; unset, empty or `0` do not.
fn test_log_requested(value: Option<&OsStr>) -> bool {
    value.is_some_and(|value| !value.is_empty() && value != "0")
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::test_log_requested;

    #[test]
    fn test_log_is_requested_by_any_value_but_empty_or_0() {
        let cases = [
            (None, false, "unset"),
            (Some(""), false, "empty"),
            (Some("0"), false, "0 switches it off"),
            (Some("1"), true, "1"),
            (Some("true"), true, "any other word"),
            (Some("00"), true, "only a single 0 switches it off"),
        ];
        for (value, requested, case) in cases {
            assert_eq!(
                test_log_requested(value.map(OsStr::new)),
                requested,
                "{case}"
            );
        }
    }
}
