//! `GET|POST|DELETE /_emulator/clock`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::error::ControlErrorBody;
use crate::http::json_body;
use crate::service::{ClockChange, ClockState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read, change, reset))
}

/// Read the emulator clock.
#[utoipa::path(get, path = "/_emulator/clock", tag = "clock", operation_id = "read_clock",
    responses((status = 200, description = "The clock", body = ClockState)))]
async fn read(State(state): State<AppState>) -> Json<ClockState> {
    Json(state.clock.state())
}

/// Move, set, freeze or unfreeze the clock.
///
/// `{"advance": "13h"}`, `{"offset": "-1h"}` or `{"at": <unix seconds>}`, and/or
/// `{"frozen": true|false}`.
#[utoipa::path(post, path = "/_emulator/clock", tag = "clock", operation_id = "change_clock",
    request_body = ClockChange,
    responses(
        (status = 200, description = "The clock after the change", body = ClockState),
        (status = 400, description = "Not exactly one of advance, offset or at (without a lone \
            frozen), a duration that does not parse, or a moment outside 1970 to 9999",
            body = ControlErrorBody),
    ))]
async fn change(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<ClockState>, ControlError> {
    let change: ClockChange = json_body(&body)?;
    Ok(Json(state.clock.change(&change).await?))
}

/// Back to wall time, running.
#[utoipa::path(delete, path = "/_emulator/clock", tag = "clock", operation_id = "reset_clock",
    responses((status = 200, description = "The clock, at wall time", body = ClockState)))]
async fn reset(State(state): State<AppState>) -> Result<Json<ClockState>, ControlError> {
    Ok(Json(state.clock.reset().await?))
}
