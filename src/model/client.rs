//! An OAuth2 client of the realm `uitid` (`docs/protocol.md#oauth2-clients`), and the rules
//! every client must meet, shared by the configuration and the control plane.

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

/// What a client is made of, before it is stored: checked the same way wherever it comes from.
pub struct ClientFields<'a> {
    pub client_id: &'a str,
    pub secret: &'a str,
    pub name: &'a str,
    pub grants: &'a [Grant],
    pub apis: &'a [String],
    pub redirect_uris: &'a [String],
    pub post_logout_redirect_uris: &'a [String],
    pub public: bool,
}

/// The field at fault and why; `field` is the setting's name (an index is added by callers).
pub type FieldError = (&'static str, String);

impl ClientFields<'_> {
    pub fn check(&self) -> Result<(), FieldError> {
        let id = self.client_id;
        if id.is_empty() || id.len() > 255 {
            return Err(("client_id", "must be 1 to 255 characters".into()));
        }
        // HTTP Basic joins id and secret with ':' and the form encodes spaces: keep ids plain.
        if id
            .chars()
            .any(|c| c == ':' || c.is_whitespace() || c.is_control())
        {
            return Err((
                "client_id",
                "must not contain ':', white space or control characters".into(),
            ));
        }
        if self.name.contains('\0') {
            return Err(("name", "must not contain NUL characters".into()));
        }
        self.check_secret()?;
        if self.grants.is_empty() {
            return Err(("grants", "list at least one grant".into()));
        }
        for api in self.apis {
            let plain = !api.is_empty()
                && api
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !plain {
                return Err((
                    "apis",
                    format!("{api:?} is not an API name such as \"entry\""),
                ));
            }
        }
        let uris = [
            ("redirect_uris", self.redirect_uris),
            ("post_logout_redirect_uris", self.post_logout_redirect_uris),
        ];
        for (field, list) in uris {
            for uri in list {
                check_redirect_uri(uri).map_err(|why| (field, format!("{uri:?}: {why}")))?;
            }
        }
        if self.grants.contains(&Grant::AuthorizationCode) && self.redirect_uris.is_empty() {
            return Err((
                "redirect_uris",
                "the authorization_code grant needs at least one redirect URI".into(),
            ));
        }
        Ok(())
    }

    fn check_secret(&self) -> Result<(), FieldError> {
        if self.public {
            if !self.secret.is_empty() {
                return Err(("secret", "a public client has no secret".into()));
            }
            if self.grants.contains(&Grant::ClientCredentials) {
                return Err((
                    "grants",
                    "a public client cannot use client_credentials (it has no secret)".into(),
                ));
            }
            return Ok(());
        }
        // Clients interpolate the secret into URLs and forms unencoded (docs/protocol.md#oauth2-clients).
        if self.secret.is_empty() || !self.secret.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err((
                "secret",
                "a confidential client needs a secret of letters and digits only".into(),
            ));
        }
        Ok(())
    }
}

/// An absolute URL without a fragment (RFC 6749 section 3.1.2). Native apps' private schemes
/// are allowed; schemes that run code or read files are not.
fn check_redirect_uri(uri: &str) -> Result<(), String> {
    let parsed = url::Url::parse(uri).map_err(|e| format!("not an absolute URL ({e})"))?;
    if matches!(
        parsed.scheme(),
        "javascript" | "data" | "file" | "vbscript" | "blob"
    ) {
        return Err(format!("the {} scheme is not allowed", parsed.scheme()));
    }
    if parsed.fragment().is_some() {
        return Err("must not have a fragment".into());
    }
    if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_none_or(str::is_empty) {
        return Err("needs a host".into());
    }
    Ok(())
}
