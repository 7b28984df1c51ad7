//! `POST /_emulator/reset`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;

use crate::app::AppState;
use crate::error::ControlError;

pub fn router() -> Router<AppState> {
    Router::new().route("/_emulator/reset", post(reset))
}

/// 204 once the server is back to its configured state.
async fn reset(State(state): State<AppState>) -> Result<StatusCode, ControlError> {
    state.reset.reset().await?;
    Ok(StatusCode::NO_CONTENT)
}
