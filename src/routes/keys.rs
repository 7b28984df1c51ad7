//! Key publication (`docs/protocol.md#keys`): the active public key as PEM, every published key as
//! a JWK set with public members only, and the OIDC discovery document of the keycloak profile.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use crate::app::AppState;

/// How long a JWKS answer may be cached.
const JWKS_CACHE_CONTROL: &str = "public, max-age=60";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/public.pem", get(public_pem))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/realms/uitid/protocol/openid-connect/certs", get(jwks))
        .route(
            "/realms/uitid/.well-known/openid-configuration",
            get(discovery),
        )
}

async fn public_pem(State(state): State<AppState>) -> impl IntoResponse {
    let pem = state.keys.public_pem();
    ([(header::CONTENT_TYPE, "application/x-pem-file")], pem)
}

/// Cached briefly: a client that misses a new key after a rotation refetches within a minute
/// (and libraries refetch at once on an unknown `kid`).
async fn jwks(State(state): State<AppState>) -> impl IntoResponse {
    let cache = [(header::CACHE_CONTROL, JWKS_CACHE_CONTROL)];
    (cache, Json(json!({ "keys": state.keys.published() })))
}

/// Enough of Keycloak's discovery document for OIDC libraries to find the keys and issuer.
async fn discovery(State(state): State<AppState>) -> impl IntoResponse {
    let base = state.settings().public_base();
    Json(json!({
        "issuer": state.keys.issuer(),
        "authorization_endpoint": format!("{base}/connect"),
        "jwks_uri": format!("{base}/realms/uitid/protocol/openid-connect/certs"),
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "jti", "typ", "azp", "sid", "email",
            "email_verified", "nickname", "name", "preferred_username", "https://publiq.be/uitidv1id"
        ]
    }))
}
