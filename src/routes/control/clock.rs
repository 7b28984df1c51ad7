//! `GET|POST|DELETE /_emulator/clock`.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::json_body;
use crate::service::{ClockChange, ClockState};

pub fn router() -> Router<AppState> {
    Router::new().route("/_emulator/clock", get(read).post(change).delete(reset))
}

async fn read(State(state): State<AppState>) -> Json<ClockState> {
    Json(state.clock.state())
}

/// `{"advance": "13h"}`, `{"offset": "-1h"}` or `{"at": <unix seconds>}`, and/or
/// `{"frozen": true|false}`.
async fn change(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<ClockState>, ControlError> {
    let change: ClockChange = json_body(&body)?;
    Ok(Json(state.clock.change(&change).await?))
}

async fn reset(State(state): State<AppState>) -> Result<Json<ClockState>, ControlError> {
    Ok(Json(state.clock.reset().await?))
}
