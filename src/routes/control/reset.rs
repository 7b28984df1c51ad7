//! `POST /_emulator/reset`.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ControlError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reset))
}

/// Reset the emulator to its configured state.
///
/// Only the configured users and keys remain; refresh tokens, sessions, flows and the journal are
/// gone; the clock reads wall time. The signing keys and the TLS material stay.
#[utoipa::path(post, path = "/_emulator/reset", tag = "reset", operation_id = "reset",
    responses((status = 204, description = "The server is back to its configured state")))]
async fn reset(State(state): State<AppState>) -> Result<StatusCode, ControlError> {
    state.reset.reset().await?;
    Ok(StatusCode::NO_CONTENT)
}
