//! `/_emulator/api-keys` and `/_emulator/api-keys/{key}` (the key as clients present it).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::json_body;
use crate::service::ApiKeyView;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/api-keys", get(list).post(create))
        .route(
            "/_emulator/api-keys/{key}",
            get(read).put(replace).delete(delete),
        )
}

async fn list(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "api_keys": state.api_keys.list() }))
}

async fn read(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<ApiKeyView>, ControlError> {
    Ok(Json(state.api_keys.get(&key)?))
}

/// 201 with the user as stored (never the key, unless it was generated: then once).
async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<ApiKeyView>), ControlError> {
    let created = state.api_keys.create(json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn replace(
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Json<ApiKeyView>, ControlError> {
    Ok(Json(state.api_keys.replace(&key, json_body(&body)?).await?))
}

async fn delete(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<StatusCode, ControlError> {
    state.api_keys.delete(&key).await?;
    Ok(StatusCode::NO_CONTENT)
}
