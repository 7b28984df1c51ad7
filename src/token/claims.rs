//! Claim sets of the two token profiles, in their wire order.

use crate::directory::User;

use super::json::OrderedJson;

/// Times of one token, unix seconds.
pub struct Lifetime {
    pub iat: i64,
    pub exp: i64,
}

/// PROTOCOL.md 5.1: `iss, uid, nick, email, iat, exp, nbf`, with `nbf = iat`.
pub fn v1(issuer: &str, user: &User, time: &Lifetime) -> OrderedJson {
    let mut claims = OrderedJson::new();
    claims
        .set("iss", issuer)
        .set("uid", user.uid.as_str())
        .set("nick", user.nick.as_str())
        .set("email", user.email.as_str())
        .set("iat", time.iat)
        .set("exp", time.exp)
        .set("nbf", time.iat);
    claims
}

/// PROTOCOL.md 5.2: the OIDC id_token the provider hands out since late 2024. `sub` is the
/// user's uid unless the user's extra claims say otherwise; `jti` and `sid` are fresh UUIDs.
pub fn keycloak(issuer: &str, client_id: &str, user: &User, time: &Lifetime) -> OrderedJson {
    let preferred = if user.email.is_empty() {
        user.nick.as_str()
    } else {
        user.email.as_str()
    };
    let mut claims = OrderedJson::new();
    claims
        .set("exp", time.exp)
        .set("iat", time.iat)
        .set("auth_time", time.iat)
        .set("jti", uuid::Uuid::new_v4().to_string())
        .set("iss", issuer)
        .set("aud", client_id)
        .set("sub", user.uid.as_str())
        .set("typ", "ID")
        .set("azp", client_id)
        .set("sid", uuid::Uuid::new_v4().to_string())
        .set("email", user.email.as_str())
        .set("email_verified", !user.email.is_empty())
        .set("nickname", user.nick.as_str())
        .set("name", user.nick.as_str())
        .set("preferred_username", preferred)
        .set("https://publiq.be/uitidv1id", user.uid.as_str());
    claims
}
