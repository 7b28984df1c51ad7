//! `POST /_emulator/journal/wait` (`docs/protocol.md#journal`): "wait until my client refreshed".

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::error::ControlErrorBody;
use crate::http::json_body;
use crate::service::{EntryFilter, JournalEntry, SignedDuration};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(wait))
}

/// What to wait for, and how long.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct WaitRequest {
    /// A route template such as `/refresh`; required.
    // An `Option` so that leaving it out is a 400 naming `route`, not serde's message.
    #[schema(value_type = String, required = true)]
    route: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    api_key: Option<String>,
    #[serde(default)]
    user: Option<String>,
    /// An OAuth2 client's id.
    #[serde(default)]
    client: Option<String>,
    /// Default 5 s; at most `server.request_timeout` less a second.
    #[serde(default)]
    timeout: Option<SignedDuration>,
}

/// Wait for a matching request.
///
/// 200 with the newest matching entry (it may have arrived before the call), 408 at timeout.
#[utoipa::path(post, path = "/_emulator/journal/wait", tag = "journal",
    operation_id = "wait_journal",
    request_body = WaitRequest,
    responses(
        (status = 200, description = "The newest matching entry", body = JournalEntry),
        (status = 408, description = "No matching request arrived in time", body = ControlErrorBody),
        (status = 400, description = "route missing, or a timeout out of range", body = ControlErrorBody),
    ))]
async fn wait(State(state): State<AppState>, body: Bytes) -> Result<Response, ControlError> {
    let wait: WaitRequest = json_body(&body)?;
    if wait.route.is_none() {
        return Err(ControlError::invalid(
            "route",
            "a route template such as \"/refresh\" is required",
        ));
    }
    let seconds = match &wait.timeout {
        Some(timeout) => timeout.seconds("timeout")?,
        None => 5,
    };
    // A wait must end before the request timeout would cut it off with a 503.
    let longest = state
        .settings()
        .server
        .request_timeout
        .as_secs()
        .saturating_sub(1) as i64;
    if !(0..=longest).contains(&seconds) {
        return Err(ControlError::invalid(
            "timeout",
            format!("must be between 0s and {longest}s (server.request_timeout less a second)"),
        ));
    }
    let filter = EntryFilter {
        route: wait.route,
        status: wait.status,
        api_key: wait.api_key,
        user: wait.user,
        client: wait.client,
    };
    let timeout = std::time::Duration::from_secs(seconds as u64);
    Ok(match state.journal.wait(filter, timeout).await {
        Some(entry) => Json(entry).into_response(),
        None => (
            StatusCode::REQUEST_TIMEOUT,
            Json(json!({ "error": "no matching request arrived before the timeout" })),
        )
            .into_response(),
    })
}
