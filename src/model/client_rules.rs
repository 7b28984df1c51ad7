//! The rules every OAuth2 client meets (`docs/protocol.md#oauth2-clients`), shared by the
//! configuration and the control plane, so both refuse the same clients with the same words.

use super::client::Grant;

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
    /// The control plane replaces a confidential client without a new secret: the stored one
    /// stays, so an empty `secret` is fine.
    pub secret_kept: bool,
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
        if self.secret_kept && self.secret.is_empty() {
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
