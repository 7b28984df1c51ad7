//! The realm's OpenID Connect discovery document (`docs/protocol.md#discovery`), at
//! `/realms/uitid/.well-known/openid-configuration` and at the root for root-style issuers.
//! It names only endpoints this server has, so a library that follows it never hits a 404.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::json;

use crate::app::AppState;
use crate::service::SCOPES;

/// Cached like the JWKS: the document changes only with the configuration.
const CACHE_CONTROL: &str = "public, max-age=60";

pub async fn discovery(State(state): State<AppState>) -> impl IntoResponse {
    let settings = state.settings();
    let endpoints = format!(
        "{}/realms/uitid/protocol/openid-connect",
        settings.public_base()
    );
    let document = json!({
        "issuer": settings.oauth_issuer(),
        "token_endpoint": format!("{endpoints}/token"),
        "jwks_uri": format!("{endpoints}/certs"),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": SCOPES,
        "response_types_supported": [],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "jti", "typ", "azp", "sid", "scope",
            "gty", "email", "email_verified", "nickname", "name", "preferred_username",
            "https://publiq.be/uitidv1id", "https://publiq.be/publiq-apis",
            "https://publiq.be/client-name"
        ],
    });
    ([(header::CACHE_CONTROL, CACHE_CONTROL)], Json(document))
}
