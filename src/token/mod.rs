//! Issuing and checking tokens: access tokens of the `v1` and `keycloak` profiles
//! (`docs/protocol.md#v1-tokens`, `#keycloak-tokens`) and of the OAuth2 realm
//! (`#oauth2-tokens`), signed RS256 with a pre-parsed key, and
//! the Entry API's check (`docs/protocol.md#entry-api-check`). Knows nothing of HTTP or the
//! database; opaque refresh tokens are `crate::secret::OpaqueToken`.

mod broken;
mod claims;
mod json;
mod keyring;
mod keys;
mod oauth;
mod user_tokens;
pub mod verify;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::config::{Settings, TokenProfile};
use crate::model::User;

pub use broken::{UNKNOWN_KID, WRONG_ISSUER};
pub use keyring::{KeyRing, KeyRingCell};
pub use keys::{Jwk, MIN_RSA_BITS, SigningKey};
pub use oauth::{CLIENT_NAME, IssuedAccess, PUBLIQ_APIS};
pub use user_tokens::{LoginFacts, USER_TOKEN_AUDIENCE, subject};
pub use verify::{LEEWAY_SECONDS, Refusal, VerifyingKey};

/// The v1 header, byte for byte as upstream writes it: `typ` first, no `kid`.
const V1_HEADER: &str = r#"{"typ":"JWT","alg":"RS256"}"#;

/// Per-token choices beyond the configuration (control-plane minting).
#[derive(Debug, Default, Clone)]
pub struct AccessOptions {
    /// Lifetime instead of `token.access_ttl`.
    pub ttl: Option<Duration>,
    /// Extra or overriding claims; an existing claim keeps its position.
    pub claims: Map<String, Value>,
    /// Issue a token whose `exp` is already past, leeway included.
    pub expired: bool,
}

/// Signs access tokens with the active key and checks them against every published key.
pub struct TokenService {
    keys: Arc<KeyRingCell>,
    issuer: String,
    accepted_issuers: Vec<String>,
    client_id: String,
    access_ttl: Duration,
    profile: TokenProfile,
    /// `iss` and lifetime of the OAuth2 realm's access tokens.
    oauth_issuer: String,
    oauth_access_ttl: Duration,
}

impl TokenService {
    /// `keys` is shared with whoever swaps in a new ring after a rotation.
    pub fn new(settings: &Settings, keys: Arc<KeyRingCell>) -> Self {
        Self {
            keys,
            issuer: settings.issuer(),
            accepted_issuers: settings.accepted_issuers(),
            client_id: settings.token.client_id.clone(),
            access_ttl: settings.access_ttl(),
            profile: settings.token.profile,
            oauth_issuer: settings.oauth_issuer(),
            oauth_access_ttl: settings.oauth.access_ttl,
        }
    }

    pub fn active_key(&self) -> Arc<SigningKey> {
        self.keys.get().active().clone()
    }

    /// Every key whose tokens verify at `now` (emulator clock), active one first.
    pub fn published_keys(&self, now: i64) -> Vec<Jwk> {
        self.keys.get().published(now)
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// `iss` of the OAuth2 realm's tokens.
    pub fn oauth_issuer(&self) -> &str {
        &self.oauth_issuer
    }

    /// An access token of the configured profile for `user`, issued at `now` (emulator clock).
    pub fn access_token(&self, user: &User, now: i64) -> anyhow::Result<String> {
        self.access_token_with(user, now, &AccessOptions::default())
    }

    pub fn access_token_with(
        &self,
        user: &User,
        now: i64,
        options: &AccessOptions,
    ) -> anyhow::Result<String> {
        let ttl = options.ttl.unwrap_or(self.access_ttl).as_secs() as i64;
        // An "expired" token ran out a minute before the Entry API's leeway would cover it.
        let iat = if options.expired {
            now - ttl - LEEWAY_SECONDS - 60
        } else {
            now
        };
        let time = claims::Lifetime {
            iat,
            exp: iat + ttl,
        };
        let mut claims = match self.profile {
            TokenProfile::V1 => claims::v1(&self.issuer, user, &time),
            TokenProfile::Keycloak => claims::keycloak(&self.issuer, &self.client_id, user, &time),
        };
        for (name, value) in user.claims.iter().chain(&options.claims) {
            claims.insert(name.clone(), value.clone());
        }
        crate::metrics::token_issued("access");
        // One ring for the whole token: a rotation in between cannot mix kid and signature.
        let key = self.active_key();
        match self.profile {
            TokenProfile::V1 => sign(&key, V1_HEADER, &json::to_json(&claims, true)),
            TokenProfile::Keycloak => {
                let header = claims::members(json!({"alg": "RS256", "typ": "JWT", "kid": key.kid}));
                sign(
                    &key,
                    &json::to_json(&header, false),
                    &json::to_json(&claims, false),
                )
            }
        }
    }

    /// The Entry API's check of a presented token at `now`.
    pub fn check(&self, token: &str, now: i64) -> Result<Map<String, Value>, Refusal> {
        let ring = self.keys.get();
        verify::check(token, &ring.verifying(now), &self.accepted_issuers, now)
    }
}

fn sign(key: &SigningKey, header_json: &str, payload_json: &str) -> anyhow::Result<String> {
    let mut token = URL_SAFE_NO_PAD.encode(header_json);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(payload_json, &mut token);
    let signature = key.sign(token.as_bytes())?;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(signature, &mut token);
    Ok(token)
}

/// A short name for an access token in the journal: its `jti` when it has one (keycloak
/// profile), else the first 12 hex digits of its SHA-256 (v1 tokens carry no id).
pub fn token_id(jwt: &str) -> String {
    let jti = jwt
        .split('.')
        .nth(1)
        .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
        .and_then(|json| serde_json::from_slice::<Map<String, Value>>(&json).ok())
        .and_then(|claims| claims.get("jti")?.as_str().map(str::to_owned));
    jti.unwrap_or_else(|| crate::secret::TokenHash::of(jwt.as_bytes()).to_hex()[..12].to_owned())
}
