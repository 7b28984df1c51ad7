//! The in-process test server: the library's own `testing::TestServer` (the harness users get,
//! so what they get is what this suite tests), configured from a [`Setup`], with one method per
//! endpoint.

use std::path::{Path, PathBuf};

use reqwest::{Client, Response};
use uitid_emulator::app::AppState;
use uitid_emulator::service::{MintRequest, MintedTokens};
use uitid_emulator::testing::{StoppedServer, TestServer, TestServerBuilder};

use super::browser::{Browser, Tokens};
use super::http::{client, connect_query, form_query, send, text};
use super::setup::{APP_CALLBACK, KEY_WITH_REFRESH, KeyChoice, Setup};

/// A running server; dropping it starts its shutdown.
pub struct TestApp {
    /// The base URL, `http://127.0.0.1:<port>`.
    pub address: String,
    pub api: Client,
    pub setup: Setup,
    server: TestServer,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Setup::default().spawn().await
    }

    pub async fn start(setup: Setup) -> Self {
        let builder = Self::builder(&setup);
        Self::new(setup, builder.start().await)
    }

    /// A server on the database in `dir`, which the caller keeps: several of them are
    /// processes sharing one database (`docs/reliability.md#concurrency`).
    pub async fn start_in(setup: Setup, dir: &Path) -> Self {
        let builder = Self::builder(&setup).database_dir(dir);
        Self::new(setup, builder.start().await)
    }

    fn builder(setup: &Setup) -> TestServerBuilder {
        let builder = TestServer::builder().toml(&setup.config());
        match setup.key {
            KeyChoice::Generated => builder.generated_key(),
            KeyChoice::Shared | KeyChoice::File(_) => builder,
        }
    }

    fn new(setup: Setup, server: TestServer) -> Self {
        Self {
            address: server.base_url().to_owned(),
            api: client(),
            setup,
            server,
        }
    }

    /// Stops gracefully and starts a new server on the same database file.
    pub async fn restart(self) -> Self {
        Self::new(self.setup, self.server.restart().await)
    }

    /// Stops gracefully; the database lives on in the returned handle.
    pub async fn stop(self) -> StoppedServer {
        self.server.stop().await
    }

    /// The SQLite file (`-wal` and `-shm` beside it).
    pub fn database_path(&self) -> PathBuf {
        self.server.database_path()
    }

    /// `path` (starting with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// The services, for what a test arranges without HTTP (keys, the clock).
    pub fn state(&self) -> &AppState {
        self.server.state()
    }

    /// Tokens minted in-process, without a login or the control plane.
    pub async fn mint(
        &self,
        request: MintRequest,
    ) -> Result<MintedTokens, uitid_emulator::error::ControlError> {
        self.server.mint(request).await
    }

    /// Unix seconds as the emulator's clock sees them.
    pub fn now(&self) -> i64 {
        self.server.now()
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    /// Logs the default user in through the form for `key`, in a fresh browser.
    pub async fn log_in(&self, key: &str, destination: &str) -> Tokens {
        let response = self
            .browser()
            .log_in(&connect_query(key, destination))
            .await;
        assert_eq!(response.status(), 303, "the login succeeds");
        Tokens::from_redirect(&response)
    }

    /// A refresh token of the default user for `KEY_WITH_REFRESH`, through the login form.
    pub async fn refresh_token(&self) -> String {
        let tokens = self.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
        tokens.refresh().to_owned()
    }

    pub async fn get(&self, path_and_query: &str) -> Response {
        send(self.api.get(self.url(path_and_query))).await
    }

    pub async fn refresh(&self, query: &str) -> Response {
        self.get(&format!("/refresh?{query}")).await
    }

    /// `/refresh` with a key and a token, encoded.
    pub async fn refresh_with(&self, key: &str, refresh: &str) -> Response {
        self.refresh(&form_query(&[("apiKey", key), ("refresh", refresh)]))
            .await
    }

    pub async fn oob(&self, query: &str) -> Response {
        self.get(&format!("/oob?{query}")).await
    }

    pub async fn public_pem(&self) -> String {
        text(self.get("/public.pem").await).await
    }

    pub async fn jwks(&self) -> serde_json::Value {
        let response = self.get("/.well-known/jwks.json").await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("the JWKS is JSON")
    }
}
