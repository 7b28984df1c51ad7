//! `/_emulator/faults` and `/_emulator/faults/{id}` (`docs/protocol.md#faults`).

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
use crate::service::{FaultInput, FaultView, QueuedFault};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, queue, clear))
        .routes(routes!(remove))
}

/// The pending faults, oldest first.
#[derive(Serialize, ToSchema)]
struct FaultList {
    faults: Vec<FaultView>,
}

/// How many pending faults were removed.
#[derive(Serialize, ToSchema)]
struct Deleted {
    deleted: u64,
}

/// Queue a fault.
///
/// 201 with its id and how many faults are pending on its route, this one included.
#[utoipa::path(post, path = "/_emulator/faults", tag = "faults", operation_id = "queue_fault",
    request_body = FaultInput,
    responses(
        (status = 201, description = "Queued", body = QueuedFault),
        (status = 400, description = "A member is invalid (named in field), or not exactly one \
            of status, delay, token, connection", body = ControlErrorBody),
        (status = 404, description = "Unknown api_key or user (named in field)",
            body = ControlErrorBody),
    ))]
async fn queue(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<QueuedFault>), ControlError> {
    let queued = state.faults.create(json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(queued)))
}

/// List the pending faults with their remaining uses.
#[utoipa::path(get, path = "/_emulator/faults", tag = "faults", operation_id = "list_faults",
    responses((status = 200, description = "The pending faults", body = FaultList)))]
async fn list(State(state): State<AppState>) -> Result<Json<FaultList>, ControlError> {
    Ok(Json(FaultList {
        faults: state.faults.list().await?,
    }))
}

/// Remove every pending fault.
#[utoipa::path(delete, path = "/_emulator/faults", tag = "faults", operation_id = "clear_faults",
    responses((status = 200, description = "How many were removed", body = Deleted)))]
async fn clear(State(state): State<AppState>) -> Result<Json<Deleted>, ControlError> {
    Ok(Json(Deleted {
        deleted: state.faults.clear().await?,
    }))
}

/// Remove one pending fault.
#[utoipa::path(delete, path = "/_emulator/faults/{id}", tag = "faults",
    operation_id = "delete_fault",
    params(("id" = i64, Path, description = "The fault's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Not a fault id (field id)", body = ControlErrorBody),
        (status = 404, description = "No pending fault with that id", body = ControlErrorBody),
    ))]
async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ControlError> {
    state
        .faults
        .delete(super::numeric_id(&id, "fault")?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
