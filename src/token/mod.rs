//! Issuing tokens: v1 access tokens (PROTOCOL.md 5.1) signed RS256 with a pre-parsed key, and
//! opaque refresh tokens (5.4). Knows nothing of HTTP or the database.

mod json;
mod keys;
mod opaque;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::config::{Settings, TokenProfile};
use crate::directory::User;

pub use json::OrderedJson;
pub use keys::{Jwk, MIN_RSA_BITS, SigningKey};
pub use opaque::{OpaqueToken, TokenHash};

/// The v1 header, byte for byte as upstream writes it: `typ` first, no `kid`.
const V1_HEADER: &str = r#"{"typ":"JWT","alg":"RS256"}"#;

/// Signs access tokens for one issuer with one active key.
pub struct TokenService {
    key: Arc<SigningKey>,
    published: Vec<Jwk>,
    issuer: String,
    access_ttl: Duration,
    profile: TokenProfile,
}

impl TokenService {
    pub fn new(settings: &Settings, key: Arc<SigningKey>, published: Vec<Jwk>) -> Self {
        Self {
            key,
            published,
            issuer: settings.issuer(),
            access_ttl: settings.access_ttl(),
            profile: settings.token.profile,
        }
    }

    pub fn active_key(&self) -> &SigningKey {
        &self.key
    }

    /// Every key whose tokens still verify, active one first.
    pub fn published_keys(&self) -> &[Jwk] {
        &self.published
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn profile(&self) -> TokenProfile {
        self.profile
    }

    /// A v1 access token for `user`, issued at `now` (unix seconds, emulator clock).
    pub fn access_token(&self, user: &User, now: i64) -> anyhow::Result<String> {
        let exp = now + self.access_ttl.as_secs() as i64;
        let mut claims = OrderedJson::new();
        claims
            .set("iss", self.issuer.as_str())
            .set("uid", user.uid.as_str())
            .set("nick", user.nick.as_str())
            .set("email", user.email.as_str())
            .set("iat", now)
            .set("exp", exp)
            .set("nbf", now);
        for (name, value) in &user.claims {
            claims.set(name, value.clone());
        }
        self.sign(V1_HEADER, &claims.to_json(true))
    }

    fn sign(&self, header_json: &str, payload_json: &str) -> anyhow::Result<String> {
        let mut token = URL_SAFE_NO_PAD.encode(header_json);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(payload_json, &mut token);
        let signature = self.key.sign(token.as_bytes())?;
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(signature, &mut token);
        Ok(token)
    }
}
