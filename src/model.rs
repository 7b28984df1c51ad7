//! The few domain types every layer shares: a fake UiTiD account, an API key and what a key may
//! do. Plain data: no HTTP, no SQL, no JWT.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::destination::AllowedDestination;
use crate::secret::{Secret, TokenHash};

/// A fake UiTiD account.
#[derive(Debug, Clone)]
pub struct User {
    pub uid: String,
    pub nick: String,
    pub email: String,
    pub password: Secret,
    /// Extra claims added to this user's tokens.
    pub claims: serde_json::Map<String, serde_json::Value>,
}

/// An API key. The key itself is only kept as a hash, which is what refresh tokens and login
/// flows are bound to in the database.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub hash: TokenHash,
    pub name: String,
    pub permissions: HashSet<Permission>,
    pub destinations: Vec<AllowedDestination>,
}

impl ApiKey {
    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// What an API key may do (`docs/protocol.md#configuration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// May receive and use refresh tokens.
    Refresh,
    /// May call the Entry API stand-in (`/user`).
    EntryApi,
}
