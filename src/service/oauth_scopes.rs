//! The scopes of the OAuth2 realm (`docs/protocol.md#token-endpoint`): what it offers, what
//! every token gets, and what a request is granted.

use crate::error::OAuthError;

/// Scopes the realm offers, in the order answers list them.
pub const SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];
/// What every token gets without asking (Keycloak's default client scopes).
const DEFAULT_SCOPES: [&str; 2] = ["profile", "email"];

/// The default scopes plus the requested ones, in the realm's order; any scope the realm does
/// not offer refuses the request, as Keycloak does.
pub fn granted_scope(requested: Option<&str>) -> Result<String, OAuthError> {
    let requested: Vec<&str> = requested.unwrap_or("").split_whitespace().collect();
    if requested.iter().any(|s| !SCOPES.contains(s)) {
        let all = requested.join(" ");
        return Err(OAuthError::InvalidScope(format!("Invalid scopes: {all}")));
    }
    let granted: Vec<&str> = SCOPES
        .into_iter()
        .filter(|s| DEFAULT_SCOPES.contains(s) || requested.contains(s))
        .collect();
    Ok(granted.join(" "))
}
