//! Users and API keys between their three forms: the configuration (or a control-plane request),
//! the stored row, and the model the directory holds.

use std::collections::HashSet;

use crate::config::{ApiKeySettings, UserSettings};
use crate::destination::AllowedDestination;
use crate::model::{ApiKey, Permission, User};
use crate::secret::TokenHash;
use crate::store::{ApiKeyRow, UserRow};

pub(crate) fn user_row(user: &UserSettings, configured: bool) -> UserRow {
    UserRow {
        uid: user.uid.clone(),
        nick: user.nick.clone(),
        email: user.email.clone(),
        password_hash: User::password_hash_of(&user.uid, user.password.expose())
            .0
            .to_vec(),
        claims: serde_json::Value::Object(user.claims.clone()).to_string(),
        configured,
    }
}

pub(crate) fn key_row(key: &ApiKeySettings, configured: bool) -> ApiKeyRow {
    ApiKeyRow {
        key_hash: TokenHash::of(key.key.expose().as_bytes()).0.to_vec(),
        name: key.name.clone(),
        key_hint: ApiKey::hint_of(key.key.expose()),
        permissions: serde_json::to_string(&key.permissions).unwrap_or_else(|_| "[]".into()),
        destinations: serde_json::to_string(&key.destinations).unwrap_or_else(|_| "[]".into()),
        configured,
    }
}

/// A stored user; `None` (logged) for a row no validated input could have produced.
pub(crate) fn user_of(row: UserRow) -> Option<User> {
    let claims = serde_json::from_str(&row.claims).ok();
    let hash = <[u8; 32]>::try_from(row.password_hash.as_slice()).ok();
    let (Some(claims), Some(hash)) = (claims, hash) else {
        tracing::warn!(uid = %row.uid, "a stored user is unreadable and is skipped");
        return None;
    };
    Some(User {
        uid: row.uid,
        nick: row.nick,
        email: row.email,
        password_hash: TokenHash(hash),
        claims,
    })
}

pub(crate) fn key_of(row: ApiKeyRow) -> Option<ApiKey> {
    let hash = <[u8; 32]>::try_from(row.key_hash.as_slice()).ok();
    let permissions: Option<HashSet<Permission>> = serde_json::from_str(&row.permissions).ok();
    let destinations: Option<Vec<String>> = serde_json::from_str(&row.destinations).ok();
    let (Some(hash), Some(permissions), Some(destinations)) = (hash, permissions, destinations)
    else {
        tracing::warn!(name = %row.name, "a stored API key is unreadable and is skipped");
        return None;
    };
    Some(ApiKey {
        hash: TokenHash(hash),
        name: row.name,
        hint: row.key_hint,
        permissions,
        destinations: destinations
            .iter()
            .filter_map(|d| AllowedDestination::parse(d).ok())
            .collect(),
    })
}
