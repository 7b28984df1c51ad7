//! The settings tree (`docs/protocol.md#configuration`). Every default lives in one place,
//! `config/default.toml`, which is the base layer under any configuration file; environment
//! variables `UITID_EMULATOR__SECTION__KEY` override both. Field names are a user-facing
//! interface.

mod database_url;
mod entry_api;
mod load;
mod oauth;
mod rate_limits;
#[cfg(test)]
mod tests;
mod tls;
#[cfg(test)]
mod tls_tests;
mod validate;

use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use crate::model::Permission;
pub use crate::secret::Secret;
pub use database_url::redacted as redacted_database_url;
pub use entry_api::{EntryApiSettings, path_under};
pub use load::{ConfigError, DEFAULT_CONFIG, load_settings, settings_from_toml};
pub use oauth::{ClientSettings, Grant, OAuthSettings};
pub use rate_limits::RateLimitSettings;
pub use tls::TlsMode;

/// Everything the emulator is configured with.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub token: TokenSettings,
    pub signing: SigningSettings,
    pub login: LoginSettings,
    pub admin: AdminSettings,
    pub log: LogSettings,
    /// Failed refreshes and logins per client address and API key.
    pub rate_limits: RateLimitSettings,
    /// The OAuth2 realm `uitid` (`docs/protocol.md#oauth2-realm`).
    pub oauth: OAuthSettings,
    /// The Entry API gateway (`docs/protocol.md#entry-api-gateway`).
    pub entry_api: EntryApiSettings,
    /// The API keys clients present as `apiKey` / `X-Api-Key`.
    #[serde(default)]
    pub api_keys: Vec<ApiKeySettings>,
    /// The fake UiTiD accounts.
    #[serde(default)]
    pub users: Vec<UserSettings>,
    /// The realm's OAuth2 clients.
    #[serde(default)]
    pub clients: Vec<ClientSettings>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to bind; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The URL clients reach this server at; resolves `oob` and is the keycloak issuer's base.
    pub public_url: String,
    /// A client must send a request's headers within this time, or the connection is closed.
    #[serde(with = "humantime_serde")]
    pub header_read_timeout: Duration,
    /// A request taking longer is answered 503.
    #[serde(with = "humantime_serde")]
    pub request_timeout: Duration,
    /// Requests served at once; beyond it, a fast 503 with `Retry-After` (load shedding).
    pub max_concurrent_requests: usize,
    /// On SIGTERM, how long in-flight requests may take to finish.
    #[serde(with = "humantime_serde")]
    pub drain_timeout: Duration,
    /// `"off"`, `"files"` or `"self-signed"` (`docs/tls.md`); unset: `"files"` when both TLS
    /// files are set, else `"off"`. Read it with [`ServerSettings::tls_mode`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsMode>,
    /// PEM certificate chain, the server's own certificate first (`tls = "files"`).
    pub tls_cert_file: String,
    /// PEM private key of that certificate (`tls = "files"`).
    pub tls_key_file: String,
    /// The names the self-signed server certificate is issued for (`tls = "self-signed"`).
    pub tls_hostnames: Vec<String>,
}

#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path/to/file.db` (created when missing), or `postgres://user@host:port/db`
    /// shared by several replicas (`docs/architecture.md#storage`). Shown without its password.
    #[serde(serialize_with = "database_url::serialize")]
    pub url: String,
    /// Revoked refresh tokens stay listed this long (emulator clock), then are pruned.
    #[serde(with = "humantime_serde")]
    pub keep_revoked: Duration,
    /// How often expired and long-revoked rows are pruned in the background.
    #[serde(with = "humantime_serde")]
    pub prune_interval: Duration,
    /// Rows per pruning statement: small, so a prune never holds a write lock for long.
    pub prune_batch: u32,
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &database_url::redacted(&self.url))
            .field("keep_revoked", &self.keep_revoked)
            .field("prune_interval", &self.prune_interval)
            .field("prune_batch", &self.prune_batch)
            .finish()
    }
}

/// Which token shape the provider hands out (`docs/protocol.md#v1-tokens`,
/// `docs/protocol.md#keycloak-tokens`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenProfile {
    V1,
    Keycloak,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSettings {
    pub profile: TokenProfile,
    /// `iss` of issued tokens; unset, it depends on the profile.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Access-token lifetime; unset, 12h for `v1` and 10h for `keycloak`.
    #[serde(default, with = "humantime_serde")]
    pub access_ttl: Option<Duration>,
    /// Refresh-token lifetime; `"none"` (the default, like upstream) means they never expire.
    #[serde(
        deserialize_with = "validate::optional_duration",
        serialize_with = "validate::write_optional_duration"
    )]
    pub refresh_ttl: Option<Duration>,
    /// `aud`/`azp` of the keycloak profile.
    pub client_id: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SigningSettings {
    /// PEM private key (PKCS#1 or PKCS#8); empty: generate once and keep it in the database.
    pub private_key_file: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LoginMode {
    Form,
    Headless,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LoginSettings {
    pub mode: LoginMode,
    /// Nick or uid of the user logged in at once when `mode = "headless"`.
    pub headless_user: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AdminSettings {
    /// Bearer token for `/_emulator/*`; empty: loopback clients only.
    pub token: Secret,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log shippers.
    Json,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeySettings {
    pub key: Secret,
    pub name: String,
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// Allowed redirect destinations: absolute http(s) URLs, or `*` for any.
    #[serde(default)]
    pub destinations: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UserSettings {
    pub uid: String,
    pub nick: String,
    #[serde(default)]
    pub email: String,
    pub password: Secret,
    /// Extra claims added to this user's tokens.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub claims: serde_json::Map<String, serde_json::Value>,
}
