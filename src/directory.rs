//! The users, API keys and OAuth2 clients every request looks up, as one immutable snapshot. The service layer
//! builds a new snapshot from the database whenever the shared state changes and swaps it in.

use std::collections::HashMap;
use std::sync::Arc;

use crate::destination::AllowedDestination;
use crate::model::{ApiKey, OAuthClient, User};
use crate::secret::TokenHash;

#[derive(Debug, Default)]
pub struct Directory {
    users: Vec<Arc<User>>,
    keys: Vec<Arc<ApiKey>>,
    by_hash: HashMap<TokenHash, Arc<ApiKey>>,
    keyless_logout: Vec<AllowedDestination>,
    clients: Vec<Arc<OAuthClient>>,
}

impl Directory {
    pub fn new(users: Vec<User>, keys: Vec<ApiKey>, clients: Vec<OAuthClient>) -> Self {
        let keys: Vec<Arc<ApiKey>> = keys.into_iter().map(Arc::new).collect();
        let by_hash = keys.iter().map(|k| (k.hash, k.clone())).collect();
        Self {
            users: users.into_iter().map(Arc::new).collect(),
            keyless_logout: keyless_logout_destinations(&keys),
            keys,
            by_hash,
            clients: clients.into_iter().map(Arc::new).collect(),
        }
    }

    pub fn clients(&self) -> &[Arc<OAuthClient>] {
        &self.clients
    }

    /// A client by its exact id. A linear scan: clients number in the tens.
    pub fn client(&self, client_id: &str) -> Option<Arc<OAuthClient>> {
        self.clients
            .iter()
            .find(|c| c.client_id == client_id)
            .cloned()
    }

    pub fn users(&self) -> &[Arc<User>] {
        &self.users
    }

    pub fn api_keys(&self) -> &[Arc<ApiKey>] {
        &self.keys
    }

    /// The key a client presented, if it is known.
    pub fn api_key(&self, presented: &str) -> Option<Arc<ApiKey>> {
        self.api_key_by_hash(&TokenHash::of(presented.as_bytes()))
    }

    /// The key a refresh token or flow was bound to.
    pub fn api_key_by_hash(&self, hash: &TokenHash) -> Option<Arc<ApiKey>> {
        self.by_hash.get(hash).cloned()
    }

    /// What `/logout` accepts without a key (besides loopback and `oob`).
    pub fn keyless_logout_destinations(&self) -> &[AllowedDestination] {
        &self.keyless_logout
    }

    /// A user by uid or nick (exact), as the control plane and headless login name them.
    pub fn user(&self, uid_or_nick: &str) -> Option<Arc<User>> {
        self.users
            .iter()
            .find(|u| u.uid == uid_or_nick || u.nick == uid_or_nick)
            .cloned()
    }

    /// A user by uid, as tokens name them (uids are unique ignoring ASCII case).
    pub fn user_by_uid(&self, uid: &str) -> Option<Arc<User>> {
        self.users
            .iter()
            .find(|u| u.uid.eq_ignore_ascii_case(uid))
            .cloned()
    }

    /// A user by what they type in the login form: nick or email, case-insensitively.
    pub fn user_by_login(&self, username: &str) -> Option<Arc<User>> {
        let wanted = username.trim();
        self.users
            .iter()
            .find(|u| {
                u.nick.eq_ignore_ascii_case(wanted)
                    || (!u.email.is_empty() && u.email.eq_ignore_ascii_case(wanted))
            })
            .cloned()
    }
}

/// Every destination some key lists explicitly. One key's opt-in `*` must not turn keyless
/// logout into an open redirect, so it is left out.
fn keyless_logout_destinations(keys: &[Arc<ApiKey>]) -> Vec<AllowedDestination> {
    keys.iter()
        .flat_map(|k| k.destinations.iter())
        .filter(|d| **d != AllowedDestination::Any)
        .cloned()
        .collect()
}
