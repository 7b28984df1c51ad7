//! `/_emulator/users` and `/_emulator/users/{uid}` (uid or nick).

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
use crate::service::{UserInput, UserView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, replace, delete))
}

/// The users, configured ones first; never a password.
#[derive(Serialize, ToSchema)]
struct UserList {
    users: Vec<UserView>,
}

/// List the users.
#[utoipa::path(get, path = "/_emulator/users", tag = "users", operation_id = "list_users",
    responses((status = 200, description = "The users", body = UserList)))]
async fn list(State(state): State<AppState>) -> Json<UserList> {
    Json(UserList {
        users: state.users.list(),
    })
}

/// Read a user by uid or nick.
#[utoipa::path(get, path = "/_emulator/users/{uid}", tag = "users", operation_id = "read_user",
    params(("uid" = String, Path, description = "uid or nick")),
    responses(
        (status = 200, description = "The user", body = UserView),
        (status = 404, description = "No such user", body = ControlErrorBody),
    ))]
async fn read(
    State(state): State<AppState>,
    Path(uid): Path<String>,
) -> Result<Json<UserView>, ControlError> {
    Ok(Json(state.users.get(&uid)?))
}

/// Create a user.
///
/// 201 with the user as stored (never the password).
#[utoipa::path(post, path = "/_emulator/users", tag = "users", operation_id = "create_user",
    request_body = UserInput,
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 400, description = "uid missing or not a UUID, or nick empty",
            body = ControlErrorBody),
        (status = 409, description = "The uid or nick is taken (field uid)", body = ControlErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<UserView>), ControlError> {
    let created = state.users.create(json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replace a user whole.
#[utoipa::path(put, path = "/_emulator/users/{uid}", tag = "users", operation_id = "replace_user",
    params(("uid" = String, Path, description = "uid or nick")),
    request_body = UserInput,
    responses(
        (status = 200, description = "Replaced", body = UserView),
        (status = 400, description = "A uid that differs from the user's, or nick empty",
            body = ControlErrorBody),
        (status = 404, description = "No such user", body = ControlErrorBody),
        (status = 409, description = "The nick is another user's (field nick)",
            body = ControlErrorBody),
    ))]
async fn replace(
    State(state): State<AppState>,
    Path(uid): Path<String>,
    body: Bytes,
) -> Result<Json<UserView>, ControlError> {
    Ok(Json(state.users.replace(&uid, json_body(&body)?).await?))
}

/// Delete a user and revoke its refresh tokens.
#[utoipa::path(delete, path = "/_emulator/users/{uid}", tag = "users", operation_id = "delete_user",
    params(("uid" = String, Path, description = "uid or nick")),
    responses(
        (status = 204, description = "Deleted; its refresh tokens are revoked"),
        (status = 404, description = "No such user", body = ControlErrorBody),
    ))]
async fn delete(
    State(state): State<AppState>,
    Path(uid): Path<String>,
) -> Result<StatusCode, ControlError> {
    state.users.delete(&uid).await?;
    Ok(StatusCode::NO_CONTENT)
}
