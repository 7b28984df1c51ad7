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
    Json(document)
}
