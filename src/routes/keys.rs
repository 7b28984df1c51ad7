//! Key publication (`docs/protocol.md#keys`): the active public key as PEM, every published key as
//! a JWK set with public members only (also at the realm's `certs` path).

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
