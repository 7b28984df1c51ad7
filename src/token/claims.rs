//! Claim sets of the two token profiles, in their wire order.

use crate::model::User;

use serde_json::{Map, Value, json};

/// Times of one token, unix seconds.
pub struct Lifetime {
    pub iat: i64,
    pub exp: i64,
}

/// `docs/protocol.md#v1-tokens`: `iss, uid, nick, email, iat, exp, nbf`, with `nbf = iat`.
pub fn v1(issuer: &str, user: &User, time: &Lifetime) -> Map<String, Value> {
    members(json!({
        "iss": issuer,
        "uid": user.uid,
        "nick": user.nick,
        "email": user.email,
        "iat": time.iat,
        "exp": time.exp,
        "nbf": time.iat,
    }))
}

/// `docs/protocol.md#keycloak-tokens`: the OIDC id_token the provider hands out since late 2024.
/// `sub` is the user's uid unless the user's extra claims say otherwise; `jti` and `sid` are fresh
/// UUIDs.
pub fn keycloak(issuer: &str, client_id: &str, user: &User, time: &Lifetime) -> Map<String, Value> {
    let preferred = if user.email.is_empty() {
        &user.nick
    } else {
        &user.email
    };
    members(json!({
        "exp": time.exp,
        "iat": time.iat,
        "auth_time": time.iat,
        "jti": uuid::Uuid::new_v4().to_string(),
        "iss": issuer,
        "aud": client_id,
        "sub": user.uid,
        "typ": "ID",
        "azp": client_id,
        "sid": uuid::Uuid::new_v4().to_string(),
        "email": user.email,
        "email_verified": !user.email.is_empty(),
        "nickname": user.nick,
        "name": user.nick,
        "preferred_username": preferred,
        "https://publiq.be/uitidv1id": user.uid,
    }))
}

/// The members of a `json!` object literal, in the order written.
pub fn members(object: Value) -> Map<String, Value> {
    match object {
        Value::Object(members) => members,
        _ => Map::new(),
    }
}
