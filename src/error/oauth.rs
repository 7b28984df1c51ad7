//! What the OAuth2 realm's token endpoint failed with: Keycloak's JSON
//! `{"error", "error_description"}` (`docs/protocol.md#token-endpoint`).

use super::Failure;

/// Keycloak's description of a failed client authentication, whatever failed.
pub const INVALID_CLIENT: &str = "Invalid client or Invalid client credentials";

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// 400 `invalid_request` with this description (a missing or repeated parameter).
    #[error("invalid request")]
    InvalidRequest(String),
    /// 401 `invalid_client`: unknown client, wrong or missing secret ([`INVALID_CLIENT`]).
    #[error("invalid client")]
    InvalidClient,
    /// 400 `unsupported_grant_type`: a grant the realm does not know.
    #[error("unsupported grant type")]
    UnsupportedGrantType,
    /// 400 `unauthorized_client`: the client may not use this grant.
    #[error("unauthorized client")]
    UnauthorizedClient(&'static str),
    /// 400 `invalid_grant`: a bad code, verifier, redirect URI or refresh token.
    #[error("invalid grant")]
    InvalidGrant(String),
    /// 400 `invalid_scope`: a scope the realm does not offer.
    #[error("invalid scope")]
    InvalidScope(String),
    /// 401 `invalid_token` with `WWW-Authenticate: Bearer` (RFC 6750 section 3): userinfo
    /// without a live user access token.
    #[error("invalid token")]
    InvalidToken(&'static str),
    /// 400 `unauthorized_client` with this text at revocation: a token of another client.
    #[error("token of another client")]
    OtherClientsToken,
    /// 429 with `Retry-After` (seconds): too many failed client authentications
    /// (`docs/protocol.md#rate-limits`).
    #[error("too many failed attempts")]
    TooManyRequests { retry_after: u64 },
    #[error(transparent)]
    Failure(#[from] Failure),
}
