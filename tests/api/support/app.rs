//! The in-process test server: a real `Application` on a random port with its own SQLite file,
//! and one method per endpoint. It is built on `Application` rather than the library's
//! `testing::TestServer` because tests restart it on the same database, read its database
//! files and let it generate its own key, none of which `TestServer` offers.

use std::path::Path;

use reqwest::{Client, Response};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uitid_emulator::Application;
use uitid_emulator::app::AppState;
use uitid_emulator::config::settings_from_toml;
use uitid_emulator::service::{MintRequest, MintedTokens};

use super::browser::{Browser, Tokens};
use super::http::{client, connect_query, form_query, send, text};
use super::setup::{APP_CALLBACK, KEY_WITH_REFRESH, Setup};

/// A running server; dropping it leaves the task to die with the test's runtime.
pub struct TestApp {
    pub address: String,
    pub api: Client,
    pub setup: Setup,
    state: AppState,
    dir: TempDir,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<anyhow::Result<()>>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Setup::default().spawn().await
    }

    pub async fn start(setup: Setup, dir: TempDir) -> Self {
        let settings = settings_from_toml(&setup.toml("127.0.0.1:0", dir.path()))
            .expect("the test configuration is valid");
        let app = Application::build(settings)
            .await
            .expect("the server starts");
        let (address, state) = (app.base_url(), app.state());
        let (shutdown, stop) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = stop.await;
        }));
        Self {
            address,
            api: client(),
            setup,
            state,
            dir,
            shutdown,
            server,
        }
    }

    /// Stops gracefully and starts a new server on the same database file.
    pub async fn restart(self) -> Self {
        let (setup, dir) = self.stop().await;
        Self::start(setup, dir).await
    }

    /// Stops gracefully; the database directory lives on in the returned handle.
    pub async fn stop(self) -> (Setup, TempDir) {
        let _ = self.shutdown.send(());
        self.server
            .await
            .expect("the server task ends")
            .expect("the server stops cleanly");
        (self.setup, self.dir)
    }

    pub fn database_dir(&self) -> &Path {
        self.dir.path()
    }

    /// `path` (starting with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The services, for what a test arranges without HTTP (keys, the router).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Tokens minted in-process, without a login or the control plane.
    pub async fn mint(
        &self,
        request: MintRequest,
    ) -> Result<MintedTokens, uitid_emulator::error::ControlError> {
        self.state.mint.mint(&request).await
    }

    /// Unix seconds as the emulator's clock sees them.
    pub fn now(&self) -> i64 {
        self.state.clock.now()
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
