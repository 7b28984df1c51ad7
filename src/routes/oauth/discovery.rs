//! The realm's OpenID Connect discovery document (`docs/protocol.md#discovery`), at
//! `/realms/uitid/.well-known/openid-configuration` and at the root for root-style issuers.
//! It names only endpoints this server has, so a library that follows it never hits a 404.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::service::SCOPES;

pub async fn discovery(State(state): State<AppState>) -> Json<Value> {
    let settings = state.settings();
    let endpoints = format!("{}{}", settings.public_base(), super::ENDPOINTS);
    let document = json!({
        "issuer": settings.oauth_issuer(),
        "authorization_endpoint": format!("{endpoints}/auth"),
        "token_endpoint": format!("{endpoints}/token"),
        "introspection_endpoint": format!("{endpoints}/token/introspect"),
        "userinfo_endpoint": format!("{endpoints}/userinfo"),
        "end_session_endpoint": format!("{endpoints}/logout"),
        "jwks_uri": format!("{endpoints}/certs"),
        "revocation_endpoint": format!("{endpoints}/revoke"),
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "introspection_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "prompt_values_supported": ["none", "login"],
        "authorization_response_iss_parameter_supported": true,
        "frontchannel_logout_supported": false,
        "backchannel_logout_supported": false,
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "jti", "typ", "azp", "sid", "scope",
            "gty", "nonce", "at_hash", "email", "email_verified", "nickname", "name",
            "given_name", "preferred_username", "https://publiq.be/email",
            "https://publiq.be/uitidv1id", "https://publiq.be/publiq-apis",
            "https://publiq.be/client-name"
        ],
    });
    Json(document)
}
