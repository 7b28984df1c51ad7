//! `GET /_emulator/keys` and `POST /_emulator/keys/rotate`.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::json_body;
use crate::service::Rotation;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/keys", get(list))
        .route("/_emulator/keys/rotate", post(rotate))
}

async fn list(State(state): State<AppState>) -> Result<Json<Value>, ControlError> {
    Ok(Json(json!({ "keys": state.keys.list().await? })))
}

/// `{"overlap": "1h"}` (or an empty body: the old key drops out at once).
async fn rotate(State(state): State<AppState>, body: Bytes) -> Result<Json<Value>, ControlError> {
    let rotation: Rotation = if body.is_empty() {
        Rotation::default()
    } else {
        json_body(&body)?
    };
    Ok(Json(json!({ "keys": state.keys.rotate(&rotation).await? })))
}
