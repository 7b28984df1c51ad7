//! What a test server is configured with: the TOML it is given and the API keys and users in
//! it. The in-process [`TestApp`] and the built binary ([`super::process`]) both read this same
//! configuration; the signing key they share is `uitid_emulator::testing::shared_test_key`.

use std::path::{Path, PathBuf};

use super::app::TestApp;

/// A key with the `refresh` and `entry_api` permissions, allowed to send tokens to
/// [`APP_CALLBACK`].
pub const KEY_WITH_REFRESH: &str = "test-key-with-refresh";
/// A second key with `refresh` (and not `entry_api`), allowed to send tokens to
/// [`OTHER_CALLBACK`].
pub const OTHER_KEY_WITH_REFRESH: &str = "other-test-key-with-refresh";
/// A key with `entry_api` but not `refresh`, allowed to send tokens to [`APP_CALLBACK`].
pub const KEY_WITHOUT_REFRESH: &str = "test-key-without-refresh";
/// A key that may refresh but not use the Entry API.
pub const KEY_WITHOUT_ENTRY_API: &str = OTHER_KEY_WITH_REFRESH;
/// A key that lists `*`: any http(s) destination.
pub const KEY_FOR_ANYWHERE: &str = "test-key-for-anywhere";
pub const APP_CALLBACK: &str = "https://app.test/cb";
pub const OTHER_CALLBACK: &str = "https://other.test/cb";
pub const USER_UID: &str = "86a02c65-696d-4c16-a9b1-9e3bc8e6303c";
pub const USER_NICK: &str = "stiksels";
pub const USER_EMAIL: &str = "stiksels@example.com";
pub const USER_PASSWORD: &str = "stiksels-secret";
pub const NO_EMAIL_UID: &str = "5e0d7a4c-2f4b-4a55-9d1f-3c8b7e0f1a22";
/// A confidential OAuth2 client with every grant and the `entry` and `sapi` APIs.
pub const CLIENT_ID: &str = "7f3a1c52-9e0b-4d21-8c6f-1b2a3c4d5e6f";
pub const CLIENT_SECRET: &str = "testClientSecret42";
pub const CLIENT_NAME: &str = "Test integration";
/// A confidential client with client credentials only and no `entry`.
pub const CLIENT_WITHOUT_ENTRY: &str = "a9b8c7d6-0000-4e5f-8a9b-0c1d2e3f4a5b";
pub const CLIENT_WITHOUT_ENTRY_SECRET: &str = "noEntrySecret7";
/// Where [`CLIENT_ID`] may send the browser after logout.
pub const APP_LOGGED_OUT: &str = "https://app.test/logged-out";
/// A public client (no secret; authorization code with PKCE, and refresh).
pub const PUBLIC_CLIENT: &str = "public-test-client";
/// The public client's redirect URI: loopback, so any port is accepted.
pub const PUBLIC_CALLBACK: &str = "http://localhost/callback";
pub const MISSING_DESTINATION: &str =
    "Request does not contain a destination parameter to redirect to after login.";

/// Which key a test server signs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChoice {
    /// The key every server of the test process shares (fast): the in-process harness fills
    /// it in, and [`super::process::server_dir`] writes it for the binary.
    Shared,
    /// No `signing.private_key_file`: the server generates a key and keeps it in its database.
    Generated,
    /// This PEM file.
    File(PathBuf),
}

/// What a test server is configured with; every field maps to TOML settings.
#[derive(Clone, Debug)]
pub struct Setup {
    pub headless_user: Option<String>,
    pub refresh_ttl: String,
    pub access_ttl: Option<String>,
    pub key: KeyChoice,
    /// Whole TOML tables (such as `[token]` or `[admin]`) merged over the settings above, for
    /// tests that need a setting no field covers.
    pub sections: String,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            headless_user: None,
            refresh_ttl: "none".into(),
            access_ttl: None,
            key: KeyChoice::Shared,
            sections: String::new(),
        }
    }
}

impl Setup {
    pub fn headless(user: &str) -> Self {
        Self {
            headless_user: Some(user.into()),
            ..Self::default()
        }
    }

    pub fn generated_key() -> Self {
        Self {
            key: KeyChoice::Generated,
            ..Self::default()
        }
    }

    pub fn with_sections(self, sections: &str) -> Self {
        Self {
            sections: sections.into(),
            ..self
        }
    }

    /// The configuration file's text for the binary on `listen` with its database in `dir`.
    /// With [`KeyChoice::Shared`] it names no key file ([`super::process::server_dir`] writes
    /// one).
    pub fn toml(&self, listen: &str, dir: &Path) -> String {
        let place = format!(
            "[server]\nlisten = {listen:?}\n[database]\nurl = {:?}",
            format!("sqlite://{}", dir.join("db.sqlite").display())
        );
        merged(&self.config(), &place)
    }

    /// The configuration without the listen address and the database, which `TestServer`
    /// chooses itself.
    pub fn config(&self) -> String {
        let mode = if self.headless_user.is_some() {
            "headless"
        } else {
            "form"
        };
        let key_file = match &self.key {
            KeyChoice::File(path) => path.display().to_string(),
            KeyChoice::Shared | KeyChoice::Generated => String::new(),
        };
        let access_ttl = self
            .access_ttl
            .as_deref()
            .map(|t| format!("access_ttl = {t:?}"));
        let base = format!(
            r#"
[token]
refresh_ttl = "{refresh_ttl}"
{access_ttl}
[signing]
private_key_file = "{key_file}"
[login]
mode = "{mode}"
headless_user = "{headless}"
# The suite fails on purpose, from loopback, many times over: budgets it never spends, so every
# failure still goes through the limiter. `rate_limits.rs` sets small ones.
[rate_limits]
address_burst = 10000
address_replenish = "1ms"
key_burst = 10000
key_replenish = "1ms"

[[api_keys]]
key = "{KEY_WITH_REFRESH}"
name = "App with refresh"
permissions = ["refresh", "entry_api"]
destinations = ["{APP_CALLBACK}"]
[[api_keys]]
key = "{OTHER_KEY_WITH_REFRESH}"
name = "Other app with refresh"
permissions = ["refresh"]
destinations = ["{OTHER_CALLBACK}"]
[[api_keys]]
key = "{KEY_WITHOUT_REFRESH}"
name = "App without refresh"
permissions = ["entry_api"]
destinations = ["{APP_CALLBACK}"]
[[api_keys]]
key = "{KEY_FOR_ANYWHERE}"
name = "App for anywhere"
permissions = ["refresh"]
destinations = ["*"]

[[clients]]
client_id = "{CLIENT_ID}"
secret = "{CLIENT_SECRET}"
name = "{CLIENT_NAME}"
grants = ["client_credentials", "authorization_code", "refresh_token"]
apis = ["entry", "sapi"]
redirect_uris = ["{APP_CALLBACK}"]
post_logout_redirect_uris = ["{APP_LOGGED_OUT}"]
[[clients]]
client_id = "{CLIENT_WITHOUT_ENTRY}"
secret = "{CLIENT_WITHOUT_ENTRY_SECRET}"
name = "Test integration without Entry API"
grants = ["client_credentials"]
apis = ["sapi"]
[[clients]]
client_id = "{PUBLIC_CLIENT}"
name = "Test single-page app"
grants = ["authorization_code", "refresh_token"]
redirect_uris = ["{PUBLIC_CALLBACK}"]
public = true

[[users]]
uid = "{USER_UID}"
nick = "{USER_NICK}"
email = "{USER_EMAIL}"
password = "{USER_PASSWORD}"
[[users]]
uid = "{NO_EMAIL_UID}"
nick = "noemail"
email = ""
password = "noemail-secret"
"#,
            refresh_ttl = self.refresh_ttl,
            access_ttl = access_ttl.unwrap_or_default(),
            headless = self.headless_user.as_deref().unwrap_or(""),
        );
        merged(&base, &self.sections)
    }

    pub async fn spawn(self) -> TestApp {
        TestApp::start(self).await
    }

    /// A server on the database in `dir` (see [`TestApp::start_in`]).
    pub async fn spawn_in(self, dir: &Path) -> TestApp {
        TestApp::start_in(self, dir).await
    }
}

/// `extra` (TOML tables) over `base`.
fn merged(base: &str, extra: &str) -> String {
    if extra.is_empty() {
        return base.to_owned();
    }
    let mut merged: toml::Table = base.parse().expect("the base configuration is TOML");
    merge(&mut merged, extra.parse().expect("the sections are TOML"));
    merged.to_string()
}

/// `extra` over `base`, table by table: TOML forbids opening a table twice, so the sections
/// cannot simply be appended to the text.
fn merge(base: &mut toml::Table, extra: toml::Table) {
    for (name, value) in extra {
        match (base.get_mut(&name), value) {
            (Some(toml::Value::Table(into)), toml::Value::Table(from)) => merge(into, from),
            (_, value) => {
                base.insert(name, value);
            }
        }
    }
}
