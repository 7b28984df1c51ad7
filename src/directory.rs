//! The fake UiTiD accounts and the API keys, resolved from configuration.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Settings;
use crate::destination::AllowedDestination;
use crate::model::{ApiKey, User};
use crate::secret::TokenHash;

#[derive(Debug, Default)]
pub struct Directory {
    users: Vec<Arc<User>>,
    keys: HashMap<String, Arc<ApiKey>>,
    keyless_logout: Vec<AllowedDestination>,
}

impl Directory {
    /// Builds the directory from validated settings.
    pub fn from_settings(settings: &Settings) -> Self {
        let users = settings
            .users
            .iter()
            .map(|u| {
                Arc::new(User {
                    uid: u.uid.clone(),
                    nick: u.nick.clone(),
                    email: u.email.clone(),
                    password: u.password.clone(),
                    claims: u.claims.clone(),
                })
            })
            .collect();
        let keys = settings
            .api_keys
            .iter()
            .map(|k| {
                let key = ApiKey {
                    hash: TokenHash::of(k.key.expose().as_bytes()),
                    name: k.name.clone(),
                    permissions: k.permissions.iter().copied().collect(),
                    destinations: k
                        .destinations
                        .iter()
                        .filter_map(|d| AllowedDestination::parse(d).ok())
                        .collect(),
                };
                (k.key.expose().to_owned(), Arc::new(key))
            })
            .collect();
        let keyless_logout = keyless_logout_destinations(&keys);
        Self {
            users,
            keys,
            keyless_logout,
        }
    }

    pub fn users(&self) -> &[Arc<User>] {
        &self.users
    }

    /// The key a client presented, if it is configured.
    pub fn api_key(&self, presented: &str) -> Option<Arc<ApiKey>> {
        self.keys.get(presented).cloned()
    }

    /// The key a refresh token or flow was bound to.
    pub fn api_key_by_hash(&self, hash: &TokenHash) -> Option<Arc<ApiKey>> {
        self.keys.values().find(|k| &k.hash == hash).cloned()
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
fn keyless_logout_destinations(keys: &HashMap<String, Arc<ApiKey>>) -> Vec<AllowedDestination> {
    keys.values()
        .flat_map(|k| k.destinations.iter())
        .filter(|d| **d != AllowedDestination::Any)
        .cloned()
        .collect()
}
