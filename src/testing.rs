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
//!         user: "stiksels".into(),
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

use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::app::AppState;
use crate::config::{DEFAULT_CONFIG, LoginMode, Settings, settings_from_toml};
use crate::error::ControlError;
use crate::service::{MintRequest, MintedTokens};
use crate::startup::Application;
use crate::token::SigningKey;

/// A running emulator; stops when dropped.
pub struct TestServer {
    base_url: String,
    state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
}

/// Configures a [`TestServer`] before it starts.
pub struct TestServerBuilder {
    settings: Settings,
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
        TestServerBuilder { settings }
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
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

    /// The services, for anything the methods above do not cover.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops the server and waits until in-flight requests have finished.
    pub async fn stop(mut self) {
        self.shut_down().await;
    }

    async fn shut_down(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl TestServerBuilder {
    /// Replaces the sample configuration with `settings` (database, listen address and, unless
    /// set, the signing key are still chosen by the builder).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// `/connect` logs `user` (nick or uid) in at once, with no form.
    pub fn headless(mut self, user: &str) -> Self {
        self.settings.login.mode = LoginMode::Headless;
        self.settings.login.headless_user = user.to_owned();
        self
    }

    pub async fn start(self) -> TestServer {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("uitid-emulator TestServer did not start: {e:#}"))
    }

    pub async fn try_start(mut self) -> anyhow::Result<TestServer> {
        let dir = tempfile::tempdir()?;
        self.settings.server.listen = ([127, 0, 0, 1], 0).into();
        self.settings.database.url =
            format!("sqlite://{}", dir.path().join("emulator.db").display());
        if self.settings.signing.private_key_file.is_empty() {
            let key_file = dir.path().join("signing-key.pem");
            std::fs::write(&key_file, shared_test_key()?)?;
            self.settings.signing.private_key_file = key_file.display().to_string();
        }
        let app = Application::build(self.settings).await?;
        let (base_url, state) = (app.base_url(), app.state());
        let (shutdown, stopped) = oneshot::channel();
        let task = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        Ok(TestServer {
            base_url,
            state,
            shutdown: Some(shutdown),
            task: Some(task),
            _dir: dir,
        })
    }
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
