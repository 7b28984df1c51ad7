//! An OAuth2 client of the realm `uitid` (`docs/protocol.md#oauth2-clients`); the rules it
//! meets are in `client_rules.rs`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::secret::TokenHash;

/// A grant type a client may use at the token endpoint.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    ClientCredentials,
    AuthorizationCode,
    RefreshToken,
    /// Resource-owner password, for headless tests only: off unless a client lists it.
    Password,
}

impl Grant {
    /// The `grant_type` value of the token endpoint.
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::ClientCredentials => "client_credentials",
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
            Self::Password => "password",
        }
    }

    pub fn from_wire(name: &str) -> Option<Self> {
        [
            Self::ClientCredentials,
            Self::AuthorizationCode,
            Self::RefreshToken,
            Self::Password,
        ]
        .into_iter()
        .find(|grant| grant.wire_name() == name)
    }
}

/// A client as the directory holds it. The secret is only kept as its SHA-256.
#[derive(Debug, Clone)]
pub struct OAuthClient {
    pub client_id: String,
    /// `None` for a public client.
    pub secret_hash: Option<TokenHash>,
    pub name: String,
    pub grants: BTreeSet<Grant>,
    pub apis: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
}

impl OAuthClient {
    pub fn is_public(&self) -> bool {
        self.secret_hash.is_none()
    }

    pub fn may_use(&self, grant: Grant) -> bool {
        self.grants.contains(&grant)
    }

    /// Whether `presented` is this client's secret. Compares the SHA-256 digests in constant
    /// time, so the answer's timing tells nothing about how much of a guess was right.
    pub fn secret_matches(&self, presented: &str) -> bool {
        let Some(stored) = &self.secret_hash else {
            return false;
        };
        let presented = TokenHash::of(presented.as_bytes());
        aws_lc_rs::constant_time::verify_slices_are_equal(&presented.0, &stored.0).is_ok()
    }

    /// `https://publiq.be/publiq-apis`: the client's APIs, space-separated.
    pub fn publiq_apis(&self) -> String {
        self.apis.join(" ")
    }
}
