//! `GET|POST|DELETE /_emulator/clock`.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use crate::error::Result;
use crate::http::json_body;
use crate::routes::AppState;
use crate::service::{ClockChange, ClockState};

pub fn router() -> Router<AppState> {
    Router::new().route("/_emulator/clock", get(read).post(change).delete(reset))
}

async fn read(State(emulator): State<AppState>) -> Json<ClockState> {
    Json(emulator.clock_state())
}

/// `{"advance": "13h"}`, `{"offset": "-1h"}` or `{"at": <unix seconds>}`.
async fn change(State(emulator): State<AppState>, body: Bytes) -> Result<Json<ClockState>> {
    let change: ClockChange = json_body(&body)?;
    Ok(Json(emulator.change_clock(&change)?))
}

async fn reset(State(emulator): State<AppState>) -> Json<ClockState> {
    Json(emulator.reset_clock())
}
