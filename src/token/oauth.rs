//! Access tokens of the OAuth2 realm `uitid` (`docs/protocol.md#oauth2-tokens`): client access
//! tokens of the client-credentials grant, with their claims in upstream's order.

use serde_json::{Map, Value, json};

use super::claims::members;
use super::{AccessOptions, LEEWAY_SECONDS, TokenService};
use crate::model::OAuthClient;

/// The claim that lists the publiq APIs a token may call.
pub const PUBLIQ_APIS: &str = "https://publiq.be/publiq-apis";
/// The claim that names the client a token was issued to.
pub const CLIENT_NAME: &str = "https://publiq.be/client-name";

/// A signed access token and what its answer and the journal say about it.
pub struct IssuedAccess {
    pub jwt: String,
    pub jti: String,
    /// Seconds from issue to `exp`.
    pub expires_in: i64,
}

impl TokenService {
    /// A client access token for `client` with this `scope`, issued at `now` (emulator clock).
    pub fn client_access_token(
        &self,
        client: &OAuthClient,
        scope: &str,
        now: i64,
        options: &AccessOptions,
    ) -> anyhow::Result<IssuedAccess> {
        let (iat, ttl) = self.realm_access_time(now, options);
        let jti = uuid::Uuid::new_v4().to_string();
        let claims = members(json!({
            "exp": iat + ttl,
            "iat": iat,
            "jti": jti,
            "iss": self.oauth_issuer,
            "sub": format!("{}@clients", client.client_id),
            "typ": "Bearer",
            "azp": client.client_id,
            "scope": scope,
            "gty": "client-credentials",
            PUBLIQ_APIS: client.publiq_apis(),
            CLIENT_NAME: client.name,
        }));
        crate::metrics::token_issued("client_access");
        self.sign_realm_access(claims, options, ttl)
    }

    /// `iat` and lifetime of a realm access token issued at `now`: `[oauth] access_ttl` unless
    /// the options say otherwise; an "expired" one is past the Entry API's leeway by a minute,
    /// like the JWT provider's.
    pub(super) fn realm_access_time(&self, now: i64, options: &AccessOptions) -> (i64, i64) {
        let ttl = options.ttl.unwrap_or(self.oauth_access_ttl).as_secs() as i64;
        let iat = if options.expired {
            now.saturating_sub(ttl + LEEWAY_SECONDS + 60)
        } else {
            now
        };
        (iat, ttl)
    }

    /// Adds the options' claims (an existing one keeps its place) and signs; the `jti` the
    /// journal names is the token's own, also when a minted claim replaced it.
    pub(super) fn sign_realm_access(
        &self,
        mut claims: Map<String, Value>,
        options: &AccessOptions,
        ttl: i64,
    ) -> anyhow::Result<IssuedAccess> {
        for (name, value) in &options.claims {
            claims.insert(name.clone(), value.clone());
        }
        let jwt = self.sign_realm_token(&claims)?;
        let jti = match claims.get("jti") {
            Some(Value::String(jti)) => jti.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        Ok(IssuedAccess {
            jwt,
            jti,
            expires_in: ttl,
        })
    }
}
