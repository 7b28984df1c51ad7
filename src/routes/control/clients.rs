//! `/_emulator/clients` and `/_emulator/clients/{client_id}`: the realm's OAuth2 clients.

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
use crate::service::{ClientInput, ClientView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, replace, delete))
}

/// The OAuth2 clients; never a secret.
#[derive(Serialize, ToSchema)]
struct ClientList {
    clients: Vec<ClientView>,
}

/// List the OAuth2 clients.
#[utoipa::path(get, path = "/_emulator/clients", tag = "clients", operation_id = "list_clients",
    responses((status = 200, description = "The clients", body = ClientList)))]
async fn list(State(state): State<AppState>) -> Json<ClientList> {
    Json(ClientList {
        clients: state.clients.list(),
    })
}

/// Read an OAuth2 client.
#[utoipa::path(get, path = "/_emulator/clients/{client_id}", tag = "clients",
    operation_id = "read_client",
    params(("client_id" = String, Path, description = "the client's id")),
    responses(
        (status = 200, description = "The client", body = ClientView),
        (status = 404, description = "No such client", body = ControlErrorBody),
    ))]
async fn read(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<Json<ClientView>, ControlError> {
    Ok(Json(state.clients.get(&client_id)?))
}

/// Create an OAuth2 client.
///
/// 201 with the client's view (never its secret, unless it was generated: then once).
#[utoipa::path(post, path = "/_emulator/clients", tag = "clients",
    operation_id = "create_client",
    request_body = ClientInput,
    responses(
        (status = 201, description = "Created", body = ClientView),
        (status = 400, description = "A field breaks the rules of `[[clients]]` (named in \
            `field`)", body = ControlErrorBody),
        (status = 409, description = "The client id exists (field client_id)",
            body = ControlErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<ClientView>), ControlError> {
    let created = state.clients.create(json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replace an OAuth2 client; without a `secret`, a confidential client keeps its secret.
#[utoipa::path(put, path = "/_emulator/clients/{client_id}", tag = "clients",
    operation_id = "replace_client",
    params(("client_id" = String, Path, description = "the client's id")),
    request_body = ClientInput,
    responses(
        (status = 200, description = "Replaced", body = ClientView),
        (status = 400, description = "An id that differs from the path, or a field that \
            breaks the rules of `[[clients]]`", body = ControlErrorBody),
        (status = 404, description = "No such client", body = ControlErrorBody),
    ))]
async fn replace(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    body: Bytes,
) -> Result<Json<ClientView>, ControlError> {
    let replaced = state.clients.replace(&client_id, json_body(&body)?).await?;
    Ok(Json(replaced))
}

/// Delete an OAuth2 client. Its access tokens stay valid until they expire, like upstream's.
#[utoipa::path(delete, path = "/_emulator/clients/{client_id}", tag = "clients",
    operation_id = "delete_client",
    params(("client_id" = String, Path, description = "the client's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such client", body = ControlErrorBody),
    ))]
async fn delete(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
) -> Result<StatusCode, ControlError> {
    state.clients.delete(&client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
