//! `/_emulator/api-keys` and `/_emulator/api-keys/{key}` (the key as clients present it).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::error::ControlErrorBody;
use crate::http::json_body;
use crate::service::{ApiKeyInput, ApiKeyView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, replace, delete))
}

/// The API keys; never a key, only its first characters.
#[derive(Serialize, ToSchema)]
struct ApiKeyList {
    api_keys: Vec<ApiKeyView>,
}

/// List the API keys.
#[utoipa::path(get, path = "/_emulator/api-keys", tag = "api-keys", operation_id = "list_api_keys",
    responses((status = 200, description = "The API keys", body = ApiKeyList)))]
async fn list(State(state): State<AppState>) -> Json<ApiKeyList> {
    Json(ApiKeyList {
        api_keys: state.api_keys.list(),
    })
}

/// Read an API key.
#[utoipa::path(get, path = "/_emulator/api-keys/{key}", tag = "api-keys",
    operation_id = "read_api_key",
    params(("key" = String, Path, description = "the key as clients present it")),
    responses(
        (status = 200, description = "The key", body = ApiKeyView),
        (status = 404, description = "No such API key", body = ControlErrorBody),
    ))]
async fn read(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<ApiKeyView>, ControlError> {
    Ok(Json(state.api_keys.get(&key)?))
}

/// Create an API key.
///
/// 201 with the key's view (never the key, unless it was generated: then once).
#[utoipa::path(post, path = "/_emulator/api-keys", tag = "api-keys",
    operation_id = "create_api_key",
    request_body = ApiKeyInput,
    responses(
        (status = 201, description = "Created", body = ApiKeyView),
        (status = 400, description = "An empty key or name, an unknown permission or a \
            destination that is not `*` or an absolute http(s) URL", body = ControlErrorBody),
        (status = 409, description = "The key exists (field key)", body = ControlErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<ApiKeyView>), ControlError> {
    let created = state.api_keys.create(json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replace an API key's name, permissions and destinations.
#[utoipa::path(put, path = "/_emulator/api-keys/{key}", tag = "api-keys",
    operation_id = "replace_api_key",
    params(("key" = String, Path, description = "the key as clients present it")),
    request_body = ApiKeyInput,
    responses(
        (status = 200, description = "Replaced", body = ApiKeyView),
        (status = 400, description = "A key that differs from the path, an empty name, an \
            unknown permission or a bad destination", body = ControlErrorBody),
        (status = 404, description = "No such API key", body = ControlErrorBody),
    ))]
async fn replace(
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Json<ApiKeyView>, ControlError> {
    Ok(Json(state.api_keys.replace(&key, json_body(&body)?).await?))
}

/// Delete an API key and revoke the refresh tokens bound to it.
#[utoipa::path(delete, path = "/_emulator/api-keys/{key}", tag = "api-keys",
    operation_id = "delete_api_key",
    params(("key" = String, Path, description = "the key as clients present it")),
    responses(
        (status = 204, description = "Deleted; its refresh tokens are revoked"),
        (status = 404, description = "No such API key", body = ControlErrorBody),
    ))]
async fn delete(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<StatusCode, ControlError> {
    state.api_keys.delete(&key).await?;
    Ok(StatusCode::NO_CONTENT)
}
