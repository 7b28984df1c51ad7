//! Key publication (PROTOCOL.md 5.3): the active public key as PEM, and every published key
//! as a JWK set with public members only.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/public.pem", get(public_pem))
        .route("/.well-known/jwks.json", get(jwks))
}

async fn public_pem(State(emulator): State<AppState>) -> impl IntoResponse {
    let pem = emulator.tokens.active_key().public_pem.clone();
    ([(header::CONTENT_TYPE, "application/x-pem-file")], pem)
}

async fn jwks(State(emulator): State<AppState>) -> impl IntoResponse {
    Json(json!({ "keys": emulator.tokens.published_keys() }))
}
