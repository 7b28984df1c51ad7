//! `/_emulator/faults` and `/_emulator/faults/{id}` (`docs/protocol.md#faults`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::json_body;
use crate::service::QueuedFault;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/faults", get(list).post(queue).delete(clear))
        .route("/_emulator/faults/{id}", delete(remove))
}

/// 201 with `{"id", "queue_depth"}`.
async fn queue(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<QueuedFault>), ControlError> {
    let queued = state.faults.create(json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(queued)))
}

async fn list(State(state): State<AppState>) -> Result<Json<Value>, ControlError> {
    Ok(Json(json!({ "faults": state.faults.list().await? })))
}

async fn clear(State(state): State<AppState>) -> Result<Json<Value>, ControlError> {
    Ok(Json(json!({ "deleted": state.faults.clear().await? })))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ControlError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| ControlError::invalid("id", format!("{id:?} is not a fault id")))?;
    state.faults.delete(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
