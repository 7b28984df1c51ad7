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
    /// The base URL, `http://127.0.0.1:<port>` (`https://` with TLS).
    pub address: String,
    pub api: Client,
    pub setup: Setup,
    server: TestServer,
    /// The PostgreSQL database of this server alone, when the run is on PostgreSQL.
    database: Option<std::sync::Arc<super::postgres::TestDatabase>>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Setup::default().spawn().await
    }

    pub async fn start(setup: Setup) -> Self {
        let database = super::database::own_database()
            .await
            .map(std::sync::Arc::new);
        let mut builder = Self::builder(&setup);
        if let Some(database) = &database {
            builder = builder.database_url(&database.url);
        }
        Self::new(setup, builder.start().await, database)
    }

    /// A server on the database in `dir`, which the caller keeps: several of them are
    /// processes sharing one database (`docs/reliability.md#concurrency`).
    pub async fn start_in(setup: Setup, dir: &Path) -> Self {
        let mut builder = Self::builder(&setup).database_dir(dir);
        if let Some(url) = super::database::database_of_dir(dir).await {
            builder = builder.database_url(url);
        }
        Self::new(setup, builder.start().await, None)
    }

    fn builder(setup: &Setup) -> TestServerBuilder {
        let builder = TestServer::builder().toml(&setup.config());
        match setup.key {
            KeyChoice::Generated => builder.generated_key(),
            KeyChoice::Shared | KeyChoice::File(_) => builder,
        }
    }

    fn new(
        setup: Setup,
        server: TestServer,
        database: Option<std::sync::Arc<super::postgres::TestDatabase>>,
    ) -> Self {
        Self {
            address: server.base_url().to_owned(),
            api: client(),
            setup,
            server,
            database,
        }
    }

    /// Stops gracefully and starts a new server on the same database.
    pub async fn restart(self) -> Self {
        Self::new(self.setup, self.server.restart().await, self.database)
    }

    /// Stops gracefully; the database lives on in the returned handle.
    pub async fn stop(self) -> StoppedServer {
        // A stopped server may be started again: its PostgreSQL database must outlive this.
        std::mem::forget(self.database);
        self.server.stop().await
    }

    /// The SQLite file (`-wal` and `-shm` beside it). Tests that use it are SQLite-only and are
    /// skipped by name when the suite runs on PostgreSQL (`database.rs`).
    pub fn database_path(&self) -> PathBuf {
        assert!(
            !super::database::on_postgres(),
            "this test opens the SQLite file: skip it on PostgreSQL"
        );
        self.server.database_path()
    }

    /// The address the server listens on.
    pub fn socket_address(&self) -> std::net::SocketAddr {
        self.server.address()
    }

    /// The local CA's PEM certificate, when the server runs with `tls = "self-signed"`.
    pub fn ca_pem(&self) -> Option<String> {
        self.server.ca_pem()
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
