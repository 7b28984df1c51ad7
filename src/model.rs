//! The few domain types every layer shares: a fake UiTiD account, an API key and what a key may
//! do, an OAuth2 client. Plain data: no HTTP, no SQL, no JWT.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::destination::AllowedDestination;
use crate::secret::TokenHash;

mod client;
mod client_rules;
mod redirect;

pub use client::{Grant, OAuthClient};
pub use client_rules::{ClientFields, FieldError};

/// A fake UiTiD account.
#[derive(Debug, Clone)]
pub struct User {
    pub uid: String,
    pub nick: String,
    pub email: String,
    /// See [`User::password_hash_of`]: no password is kept in clear.
    pub password_hash: TokenHash,
    /// Extra claims added to this user's tokens.
    pub claims: serde_json::Map<String, serde_json::Value>,
}

/// An API key, as the directory holds it. The key itself is only kept as a hash, which is what refresh tokens and login
/// flows are bound to in the database.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub hash: TokenHash,
    pub name: String,
    /// The key's first characters, so listings can tell keys apart without showing them.
    pub hint: String,
    pub permissions: HashSet<Permission>,
    pub destinations: Vec<AllowedDestination>,
}

impl User {
    /// SHA-256 of the uid, a NUL and the password: salted by the uid, so two users with one
    /// password store different hashes.
    pub fn password_hash_of(uid: &str, password: &str) -> TokenHash {
        TokenHash::of(format!("{uid}\0{password}").as_bytes())
    }

    pub fn password_matches(&self, password: &str) -> bool {
        Self::password_hash_of(&self.uid, password) == self.password_hash
    }
}

impl ApiKey {
    /// What listings show of `key`: its first four characters.
    pub fn hint_of(key: &str) -> String {
        let prefix: String = key.chars().take(4).collect();
        format!("{prefix}…")
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// What an API key may do (`docs/protocol.md#configuration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// May receive and use refresh tokens.
    Refresh,
    /// May call the Entry API stand-in (`/user`).
    EntryApi,
}

/// The first of `fields` (name, value) whose value holds a NUL character (U+0000). Stored text
/// may not: PostgreSQL's text type cannot hold it, so both backends refuse it alike, and no
/// real nick, e-mail address, API key or key name contains one.
pub fn field_with_nul<'a>(fields: &[(&'a str, &str)]) -> Option<&'a str> {
    fields
        .iter()
        .find(|(_, value)| value.contains('\0'))
        .map(|(name, _)| *name)
}
