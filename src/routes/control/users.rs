//! `/_emulator/users` and `/_emulator/users/{uid}` (uid or nick).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::json_body;
use crate::service::UserView;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/users", get(list).post(create))
        .route(
            "/_emulator/users/{uid}",
            get(read).put(replace).delete(delete),
        )
}

async fn list(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "users": state.users.list() }))
}

async fn read(
    State(state): State<AppState>,
    Path(uid): Path<String>,
) -> Result<Json<UserView>, ControlError> {
    Ok(Json(state.users.get(&uid)?))
}

/// 201 with the user as stored (never the password).
async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<UserView>), ControlError> {
    let created = state.users.create(json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn replace(
    State(state): State<AppState>,
    Path(uid): Path<String>,
    body: Bytes,
) -> Result<Json<UserView>, ControlError> {
    Ok(Json(state.users.replace(&uid, json_body(&body)?).await?))
}

async fn delete(
    State(state): State<AppState>,
    Path(uid): Path<String>,
) -> Result<StatusCode, ControlError> {
    state.users.delete(&uid).await?;
    Ok(StatusCode::NO_CONTENT)
}
