//! Checks serde cannot express, with messages that name the offending key.

use std::collections::HashSet;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serializer};

use super::{LoginMode, Settings, TokenProfile};

/// `"none"` or `""` means no lifetime; anything else is a humantime duration such as `14d`.
pub(super) fn optional_duration<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(deserializer)?;
    match text.trim() {
        "" | "none" => Ok(None),
        value => humantime::parse_duration(value)
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("{value:?} is not a duration ({e})"))),
    }
}

pub(super) fn write_optional_duration<S: Serializer>(
    value: &Option<Duration>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(duration) => {
            serializer.serialize_str(&humantime::format_duration(*duration).to_string())
        }
        None => serializer.serialize_str("none"),
    }
}

/// The issuer upstream's test environment signs v1 tokens with (`docs/protocol.md#v1-tokens`).
const V1_DEFAULT_ISSUER: &str = "http://culudb-jwt-provider.dev";

impl Settings {
    /// `iss` of issued tokens (`docs/protocol.md#v1-tokens`, `docs/protocol.md#keycloak-tokens`).
    pub fn issuer(&self) -> String {
        match (&self.token.issuer, self.token.profile) {
            (Some(issuer), _) if !issuer.is_empty() => issuer.clone(),
            (_, TokenProfile::V1) => V1_DEFAULT_ISSUER.into(),
            (_, TokenProfile::Keycloak) => self.keycloak_default_issuer(),
        }
    }

    /// Issuers the Entry API check accepts: the configured one, both profiles' defaults and the
    /// OAuth2 realm's, so tokens of either profile and the realm's access tokens verify.
    pub fn accepted_issuers(&self) -> Vec<String> {
        let mut issuers = vec![self.issuer()];
        let others = [
            V1_DEFAULT_ISSUER.to_owned(),
            self.keycloak_default_issuer(),
            self.oauth_issuer(),
        ];
        for default in others {
            if !issuers.contains(&default) {
                issuers.push(default);
            }
        }
        issuers
    }

    fn keycloak_default_issuer(&self) -> String {
        format!("{}/realms/uitid", self.public_base())
    }

    /// Cookies get `Secure` when browsers reach the emulator over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_base().starts_with("https:")
    }

    /// Access-token lifetime: configured, else 12 h (`v1`) or 10 h (`keycloak`).
    pub fn access_ttl(&self) -> Duration {
        self.token.access_ttl.unwrap_or(match self.token.profile {
            TokenProfile::V1 => Duration::from_secs(12 * 3600),
            TokenProfile::Keycloak => Duration::from_secs(10 * 3600),
        })
    }

    /// `iss` of the OAuth2 realm's tokens (`docs/protocol.md#oauth2-realm`).
    pub fn oauth_issuer(&self) -> String {
        let configured = self.oauth.issuer.trim_end_matches('/');
        if configured.is_empty() {
            self.keycloak_default_issuer()
        } else {
            configured.to_owned()
        }
    }

    /// `server.public_url` without a trailing slash.
    pub fn public_base(&self) -> &str {
        self.server.public_url.trim_end_matches('/')
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        let public = url::Url::parse(&self.server.public_url)
            .map_err(|e| format!("key `server.public_url`: not a URL ({e})"))?;
        if !matches!(public.scheme(), "http" | "https") {
            return Err("key `server.public_url`: must be an http or https URL".into());
        }
        if crate::store::BackendKind::of_url(&self.database.url).is_none() {
            // Only the scheme is named: the URL may hold a password.
            let scheme = self.database.url.split(':').next().unwrap_or_default();
            return Err(format!(
                "key `database.url`: scheme {scheme:?} is not supported; use \
                 sqlite://path/to/file.db or postgres://user@host:port/database"
            ));
        }
        if self.database.prune_batch == 0 || self.database.prune_interval.is_zero() {
            return Err(
                "keys `database.prune_batch` and `database.prune_interval`: must be above 0".into(),
            );
        }
        self.server.validate_tls()?;
        if self.server.max_concurrent_requests == 0 {
            return Err("key `server.max_concurrent_requests`: must be at least 1".into());
        }
        if self.access_ttl().is_zero() {
            return Err("key `token.access_ttl`: must be longer than 0s".into());
        }
        self.rate_limits.validate()?;
        self.validate_users()?;
        self.validate_api_keys()?;
        self.validate_oauth()?;
        self.entry_api.validate()?;
        if self.login.mode == LoginMode::Headless {
            let wanted = &self.login.headless_user;
            if !self
                .users
                .iter()
                .any(|u| &u.nick == wanted || &u.uid == wanted)
            {
                return Err(format!(
                    "key `login.headless_user`: {wanted:?} is not the nick or uid of a configured user"
                ));
            }
        }
        Ok(())
    }

    fn validate_users(&self) -> Result<(), String> {
        let mut seen = HashSet::new();
        for (i, user) in self.users.iter().enumerate() {
            if uuid::Uuid::parse_str(&user.uid).is_err() {
                return Err(format!(
                    "key `users[{i}].uid`: {:?} is not a UUID",
                    user.uid
                ));
            }
            if user.nick.trim().is_empty() {
                return Err(format!("key `users[{i}].nick`: must not be empty"));
            }
            let text = [("nick", user.nick.as_str()), ("email", user.email.as_str())];
            if let Some(field) = crate::model::field_with_nul(&text) {
                return Err(format!(
                    "key `users[{i}].{field}`: must not contain NUL characters"
                ));
            }
            for id in [&user.uid, &user.nick] {
                if !seen.insert(id.to_lowercase()) {
                    return Err(format!("key `users[{i}]`: {id:?} is used by another user"));
                }
            }
        }
        Ok(())
    }

    fn validate_api_keys(&self) -> Result<(), String> {
        let mut seen = HashSet::new();
        for (i, key) in self.api_keys.iter().enumerate() {
            if key.key.expose().trim().is_empty() {
                return Err(format!("key `api_keys[{i}].key`: must not be empty"));
            }
            let text = [("key", key.key.expose()), ("name", key.name.as_str())];
            if let Some(field) = crate::model::field_with_nul(&text) {
                return Err(format!(
                    "key `api_keys[{i}].{field}`: must not contain NUL characters"
                ));
            }
            if !seen.insert(key.key.expose()) {
                return Err(format!(
                    "key `api_keys[{i}].key`: the same key is listed twice"
                ));
            }
            for (j, destination) in key.destinations.iter().enumerate() {
                crate::destination::AllowedDestination::parse(destination)
                    .map_err(|why| format!("key `api_keys[{i}].destinations[{j}]`: {why}"))?;
            }
        }
        Ok(())
    }

    fn validate_oauth(&self) -> Result<(), String> {
        if !self.oauth.issuer.is_empty() {
            let issuer = url::Url::parse(&self.oauth.issuer)
                .map_err(|e| format!("key `oauth.issuer`: not a URL ({e})"))?;
            if !matches!(issuer.scheme(), "http" | "https") {
                return Err("key `oauth.issuer`: must be an http or https URL".into());
            }
        }
        let lifetimes = [
            ("access_ttl", self.oauth.access_ttl),
            ("refresh_max_age", self.oauth.refresh_max_age),
        ];
        for (name, lifetime) in lifetimes {
            if lifetime.is_zero() {
                return Err(format!("key `oauth.{name}`: must be longer than 0s"));
            }
        }
        let mut seen = HashSet::new();
        for (i, client) in self.clients.iter().enumerate() {
            client
                .fields(false)
                .check()
                .map_err(|(field, why)| format!("key `clients[{i}].{field}`: {why}"))?;
            if !seen.insert(client.client_id.as_str()) {
                return Err(format!(
                    "key `clients[{i}].client_id`: {:?} is used by another client",
                    client.client_id
                ));
            }
        }
        Ok(())
    }
}
