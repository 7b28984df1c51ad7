//! `GET /_emulator/keys` and `POST /_emulator/keys/rotate`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::error::ControlErrorBody;
use crate::http::json_body;
use crate::service::{KeyView, Rotation};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(rotate))
}

/// The signing keys, active first.
#[derive(Serialize, ToSchema)]
struct KeyList {
    keys: Vec<KeyView>,
}

/// List the signing keys.
#[utoipa::path(get, path = "/_emulator/keys", tag = "keys", operation_id = "list_keys",
    responses((status = 200, description = "The keys", body = KeyList)))]
async fn list(State(state): State<AppState>) -> Result<Json<KeyList>, ControlError> {
    let keys = state.keys.list().await?;
    Ok(Json(KeyList { keys }))
}

/// Make a new key active; the old one stays published for `overlap`.
///
/// `{"overlap": "1h"}`, or an empty body: the old key drops out at once.
#[utoipa::path(post, path = "/_emulator/keys/rotate", tag = "keys", operation_id = "rotate_keys",
    request_body(content = Option<Rotation>, description = "May be empty: no overlap"),
    responses(
        (status = 200, description = "The keys after the rotation", body = KeyList),
        (status = 400, description = "A negative or unreadable overlap", body = ControlErrorBody),
        (status = 409, description = "signing.private_key_file is configured", body = ControlErrorBody),
    ))]
async fn rotate(State(state): State<AppState>, body: Bytes) -> Result<Json<KeyList>, ControlError> {
    let rotation: Rotation = if body.is_empty() {
        Rotation::default()
    } else {
        json_body(&body)?
    };
    let keys = state.keys.rotate(&rotation).await?;
    Ok(Json(KeyList { keys }))
}
