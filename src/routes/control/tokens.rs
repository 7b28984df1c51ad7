//! `POST /_emulator/tokens`: mint tokens without a login.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};

use crate::error::Result;
use crate::http::json_body;
use crate::routes::AppState;
use crate::service::{MintRequest, MintedTokens};

pub fn router() -> Router<AppState> {
    Router::new().route("/_emulator/tokens", post(mint))
}

async fn mint(State(emulator): State<AppState>, body: Bytes) -> Result<Json<MintedTokens>> {
    let request: MintRequest = json_body(&body)?;
    Ok(Json(emulator.mint(&request).await?))
}
