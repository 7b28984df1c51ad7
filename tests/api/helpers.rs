//! The test server: a real `Application` on a random port with its own SQLite file, and one
//! method per endpoint. Requests never follow redirects, so every 30x can be asserted.

use std::path::Path;

use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uitid_emulator::Application;
use uitid_emulator::config::settings_from_toml;

pub use crate::browser::{Browser, LoginForm, Tokens, form_query, location};
pub use crate::setup::*;

/// A running server; dropping it leaves the task to die with the test's runtime.
pub struct TestApp {
    pub address: String,
    pub api: Client,
    pub setup: Setup,
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
        let address = app.base_url();
        let (shutdown, stop) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = stop.await;
        }));
        Self {
            address,
            api: client(None),
            setup,
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

    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    /// Logs the default user in through the form for `key`, in a fresh browser.
    pub async fn log_in(&self, key: &str, destination: &str) -> Tokens {
        let query = form_query(&[("apiKey", key), ("destination", destination)]);
        let response = self.browser().log_in(&query).await;
        assert_eq!(response.status(), 303, "the login succeeds");
        Tokens::from_redirect(&response)
    }

    pub async fn get(&self, path_and_query: &str) -> Response {
        send(self.api.get(format!("{}{path_and_query}", self.address))).await
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

/// A client that never follows redirects; with a cookie store when given one.
pub fn client(cookies: Option<std::sync::Arc<reqwest::cookie::Jar>>) -> Client {
    let builder = Client::builder().redirect(Policy::none());
    let builder = match cookies {
        Some(jar) => builder.cookie_provider(jar),
        None => builder,
    };
    builder.build().expect("an HTTP client")
}

pub async fn send(request: reqwest::RequestBuilder) -> Response {
    request.send().await.expect("the server answers")
}

pub async fn text(response: Response) -> String {
    response.text().await.expect("a readable body")
}

/// PROTOCOL.md 4.6: nothing that may carry a token is cached or leaks through `Referer`.
pub fn assert_not_cached(response: &Response) {
    for (name, value) in [
        ("cache-control", "no-store"),
        ("pragma", "no-cache"),
        ("referrer-policy", "no-referrer"),
    ] {
        assert_eq!(
            header(response, name),
            Some(value),
            "{name} on {}",
            response.url()
        );
    }
}

/// PROTOCOL.md 4.6: HTML pages cannot be framed.
pub fn assert_html_page(response: &Response) {
    assert_not_cached(response);
    assert_eq!(header(response, "x-frame-options"), Some("DENY"));
    let csp = header(response, "content-security-policy").expect("a CSP");
    assert!(csp.contains("frame-ancestors 'none'"), "CSP {csp}");
    let content_type = header(response, "content-type").expect("a content type");
    assert!(
        content_type.starts_with("text/html"),
        "content type {content_type}"
    );
}

/// Upstream's refusal: 400 with an empty body, and no redirect.
pub async fn assert_empty_400(response: Response, case: &str) {
    assert_eq!(response.status(), 400, "{case}");
    assert!(
        header(&response, "location").is_none(),
        "{case}: no redirect"
    );
    assert_eq!(text(response).await, "", "{case}: empty body");
}

/// A 400 with exactly `body` as plain text, and no redirect.
pub async fn assert_text_400(response: Response, body: &str, case: &str) {
    assert_eq!(response.status(), 400, "{case}");
    assert!(
        header(&response, "location").is_none(),
        "{case}: no redirect"
    );
    assert_eq!(
        header(&response, "content-type"),
        Some("text/plain; charset=utf-8"),
        "{case}"
    );
    assert_eq!(text(response).await, body, "{case}");
}

pub fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("an ASCII header"))
}
