//! `POST /_emulator/tokens`: mint tokens without a login.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::json_body;
use crate::service::{MintRequest, MintedTokens};

pub fn router() -> Router<AppState> {
    Router::new().route("/_emulator/tokens", post(mint))
}

async fn mint(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<MintedTokens>, ControlError> {
    let request: MintRequest = json_body(&body)?;
    Ok(Json(state.mint.mint(&request).await?))
}
