//! Tokens of a user login on the OAuth2 realm (`docs/protocol.md#oauth2-tokens`): the user
//! access token and the id_token, claims in upstream's order.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::claims::members;
use super::oauth::{CLIENT_NAME, IssuedAccess, PUBLIQ_APIS};
use super::{AccessOptions, TokenService, json as token_json, sign};
use crate::model::{OAuthClient, User};
use crate::secret::TokenHash;

/// The audience of every user access token: publiq's APIs.
pub const USER_TOKEN_AUDIENCE: &str = "https://api.publiq.be";

/// The login a token speaks for: its session, when it happened, what was granted.
pub struct LoginFacts<'a> {
    pub sid: &'a str,
    pub auth_time: i64,
    pub scope: &'a str,
    pub nonce: Option<&'a str>,
}

/// A user's `sub`: the uid, unless the user's extra claims name another subject.
pub fn subject(user: &User) -> &str {
    match user.claims.get("sub") {
        Some(Value::String(sub)) => sub,
        _ => &user.uid,
    }
}

impl TokenService {
    /// A user access token of `client` for `user`, issued at `now` (emulator clock).
    pub fn user_access_token(
        &self,
        user: &User,
        client: &OAuthClient,
        login: &LoginFacts<'_>,
        now: i64,
        options: &AccessOptions,
    ) -> anyhow::Result<IssuedAccess> {
        let (iat, ttl) = self.realm_access_time(now, options);
        let jti = uuid::Uuid::new_v4().to_string();
        let claims = members(json!({
            "exp": iat + ttl,
            "iat": iat,
            "auth_time": login.auth_time,
            "jti": jti,
            "iss": self.oauth_issuer,
            "aud": [USER_TOKEN_AUDIENCE],
            "sub": subject(user),
            "typ": "Bearer",
            "azp": client.client_id,
            "sid": login.sid,
            "scope": login.scope,
            PUBLIQ_APIS: client.publiq_apis(),
            CLIENT_NAME: client.name,
            "https://publiq.be/email": user.email,
            "https://publiq.be/uitidv1id": user.uid,
        }));
        crate::metrics::token_issued("user_access");
        self.sign_realm_access(claims, options, ttl)
    }

    /// The id_token of a login (`openid` scope): the keycloak profile's claims with `aud` =
    /// the client, `nonce` when the authorization request sent one, and `at_hash` of the access
    /// token it comes with (OIDC Core 3.1.3.6).
    pub fn realm_id_token(
        &self,
        user: &User,
        client: &OAuthClient,
        login: &LoginFacts<'_>,
        access_token: &str,
        now: i64,
    ) -> anyhow::Result<String> {
        let preferred = if user.email.is_empty() {
            &user.nick
        } else {
            &user.email
        };
        let digest = TokenHash::of(access_token.as_bytes());
        let mut claims = members(json!({
            "exp": now + self.oauth_access_ttl.as_secs() as i64,
            "iat": now,
            "auth_time": login.auth_time,
            "jti": uuid::Uuid::new_v4().to_string(),
            "iss": self.oauth_issuer,
            "aud": client.client_id,
            "sub": subject(user),
            "typ": "ID",
            "azp": client.client_id,
        }));
        if let Some(nonce) = login.nonce {
            claims.insert("nonce".into(), nonce.into());
        }
        let rest = members(json!({
            "sid": login.sid,
            "at_hash": URL_SAFE_NO_PAD.encode(&digest.0[..16]),
            "email": user.email,
            "email_verified": !user.email.is_empty(),
            "nickname": user.nick,
            "name": user.nick,
            "preferred_username": preferred,
            "https://publiq.be/uitidv1id": user.uid,
        }));
        claims.extend(rest);
        for (name, value) in &user.claims {
            claims.insert(name.clone(), value.clone());
        }
        crate::metrics::token_issued("id_token");
        self.sign_realm_token(&claims)
    }

    /// Signs realm claims with the active key, `kid` in the header.
    pub(super) fn sign_realm_token(&self, claims: &Map<String, Value>) -> anyhow::Result<String> {
        let key = self.active_key();
        let header = members(json!({"alg": "RS256", "typ": "JWT", "kid": key.kid}));
        sign(
            &key,
            &token_json::to_json(&header, false),
            &token_json::to_json(claims, false),
        )
    }
}
