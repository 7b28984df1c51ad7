//! The authorization endpoint's request (`docs/protocol.md#authorization-endpoint`), checked in
//! Keycloak's order: the client and its redirect URI first (a failure there is an error page,
//! never a redirect), then everything else, whose failures go back to the redirect URI.

use serde::{Deserialize, Serialize};

use super::oauth_request::FormParams;
use super::oauth_scopes::granted_scope;
use crate::error::AuthorizeError;
use crate::model::{Grant, OAuthClient};

/// What a login started at the authorization endpoint remembers until its code is issued; kept
/// as JSON in the flow's row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// The granted scope (defaults included).
    pub scope: String,
    /// The PKCE S256 challenge, if one was sent.
    pub code_challenge: Option<String>,
}

/// Checks the request against `client` (looked up by the caller from `client_id`); errors
/// that go back to the client name `issuer`.
pub fn checked(
    input: &FormParams,
    client: Option<&OAuthClient>,
    issuer: &str,
) -> Result<AuthorizationRequest, AuthorizeError> {
    let page = |text: &str| Err(AuthorizeError::Page(text.to_owned()));
    if input.get("client_id").is_none() {
        return page("Missing parameter: client_id");
    }
    let Some(client) = client else {
        return page("Client not found.");
    };
    let Some(redirect_uri) = input.get("redirect_uri") else {
        return page("Missing parameter: redirect_uri");
    };
    if !client.accepts_redirect(redirect_uri) {
        return page("Invalid parameter: redirect_uri");
    }
    let state = input.get("state").map(str::to_owned);
    let back = |error: &str, description: &str| {
        error_response(redirect_uri, state.as_deref(), issuer, error, description)
    };
    if input.duplicated {
        return Err(back("invalid_request", "duplicated parameter"));
    }
    match input.get("response_type") {
        None => return Err(back("invalid_request", "Missing parameter: response_type")),
        Some("code") => {}
        Some(_) => {
            return Err(back(
                "unsupported_response_type",
                "Client is not allowed to initiate browser login with given response_type.",
            ));
        }
    }
    if !matches!(input.get("response_mode"), None | Some("query")) {
        return Err(back("invalid_request", "Invalid parameter: response_mode"));
    }
    if !client.may_use(Grant::AuthorizationCode) {
        return Err(back(
            "unauthorized_client",
            "Client is not allowed to initiate browser login with given response_type. \
             Standard flow is disabled for the client.",
        ));
    }
    let scope = granted_scope(input.get("scope")).map_err(|_| {
        back(
            "invalid_scope",
            &format!("Invalid scopes: {}", input.get("scope").unwrap_or("")),
        )
    })?;
    let code_challenge = pkce(input, client).map_err(|why| back("invalid_request", why))?;
    Ok(AuthorizationRequest {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        state,
        nonce: input.get("nonce").map(str::to_owned),
        scope,
        code_challenge,
    })
}

/// PKCE (RFC 7636): S256 only (`plain` protects nothing against a reader of the request);
/// required for public clients.
fn pkce(input: &FormParams, client: &OAuthClient) -> Result<Option<String>, &'static str> {
    let method = input.get("code_challenge_method");
    let Some(challenge) = input.get("code_challenge") else {
        if method.is_some() {
            return Err("Missing parameter: code_challenge");
        }
        if client.is_public() {
            return Err("Missing parameter: code_challenge_method");
        }
        return Ok(None);
    };
    if method != Some("S256") {
        return Err("Invalid parameter: code_challenge_method");
    }
    // base64url of a SHA-256: 43 characters.
    let well_formed = challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err("Invalid parameter: code_challenge");
    }
    Ok(Some(challenge.to_owned()))
}

/// The redirect that reports `error` to the client (RFC 6749 section 4.1.2.1), `iss` included
/// (RFC 9207).
pub fn error_response(
    redirect_uri: &str,
    state: Option<&str>,
    issuer: &str,
    error: &str,
    description: &str,
) -> AuthorizeError {
    AuthorizeError::Redirect(error_url(redirect_uri, state, issuer, error, description))
}

/// The URL of [`error_response`].
pub fn error_url(
    redirect_uri: &str,
    state: Option<&str>,
    issuer: &str,
    error: &str,
    description: &str,
) -> String {
    let mut members = vec![("error", error), ("error_description", description)];
    members.extend(state.map(|s| ("state", s)));
    members.push(("iss", issuer));
    with_query(redirect_uri, &members)
}

/// `uri` with `members` added to its query, existing parameters kept; with no members, `uri`
/// exactly (a logout without `state` must not append a bare `?`).
pub fn with_query(uri: &str, members: &[(&str, &str)]) -> String {
    if members.is_empty() {
        return uri.to_owned();
    }
    match url::Url::parse(uri) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(members);
            url.into()
        }
        // Registered URIs are checked to parse; this keeps the function total.
        Err(_) => uri.to_owned(),
    }
}
