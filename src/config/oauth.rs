//! `[oauth]` and `[[clients]]`: the OAuth2 realm `uitid` (`docs/protocol.md#oauth2-realm`).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::ClientFields;
pub use crate::model::Grant;
use crate::secret::Secret;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthSettings {
    /// `iss` of the realm's tokens; empty: `<public_url>/realms/uitid`.
    #[serde(default)]
    pub issuer: String,
    /// Lifetime of access tokens (`expires_in`).
    #[serde(with = "humantime_serde")]
    pub access_ttl: Duration,
    /// Absolute lifetime of a rotating refresh-token chain, counted from the login.
    #[serde(with = "humantime_serde")]
    pub refresh_max_age: Duration,
    /// A rotated refresh token used again within this window answers like its first use
    /// instead of counting as reuse.
    #[serde(with = "humantime_serde")]
    pub refresh_reuse_grace: Duration,
}

/// An OAuth2 client of the realm, as configured.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    pub client_id: String,
    /// Letters and digits only; empty for a public client.
    #[serde(default)]
    pub secret: Secret,
    pub name: String,
    pub grants: Vec<Grant>,
    /// publiq APIs the client's tokens may call: `https://publiq.be/publiq-apis`.
    #[serde(default)]
    pub apis: Vec<String>,
    /// Exact match, except that loopback redirect URIs accept any port.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// No secret; authorization code with PKCE S256 only.
    #[serde(default)]
    pub public: bool,
}

impl ClientSettings {
    /// What the client rules check; `secret_kept`: see [`ClientFields::secret_kept`].
    pub fn fields(&self, secret_kept: bool) -> ClientFields<'_> {
        ClientFields {
            client_id: &self.client_id,
            secret: self.secret.expose(),
            name: &self.name,
            grants: &self.grants,
            apis: &self.apis,
            redirect_uris: &self.redirect_uris,
            post_logout_redirect_uris: &self.post_logout_redirect_uris,
            public: self.public,
            secret_kept,
        }
    }
}
