//! `/_emulator/journal`: query, `verify`, `wait` and clear (`docs/protocol.md#journal`).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::refresh_tokens::params;
use crate::app::AppState;
use crate::error::ControlError;
use crate::http::json_body;
use crate::service::{EntryFilter, SignedDuration, Verification};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/journal", get(list).delete(clear))
        .route("/_emulator/journal/verify", post(verify))
        .route("/_emulator/journal/wait", post(wait))
}

async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<serde_json::Value>, ControlError> {
    let params = params(query)?;
    let number = |name: &'static str| -> Result<Option<u64>, ControlError> {
        params
            .non_empty(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| ControlError::invalid(name, format!("{v:?} is not a number")))
            })
            .transpose()
    };
    let filter = EntryFilter {
        route: params.non_empty("route").map(str::to_owned),
        status: number("status")?.map(|s| s.min(u16::MAX.into()) as u16),
        api_key: params.non_empty("api_key").map(str::to_owned),
        user: params.non_empty("user").map(str::to_owned),
    };
    let limit = number("limit")?.map(|l| l as usize);
    Ok(Json(
        json!({ "entries": state.journal.list(filter, limit) }),
    ))
}

/// 202 when the count is within bounds (default: at least one), else 406 with what was found.
async fn verify(State(state): State<AppState>, body: Bytes) -> Result<Response, ControlError> {
    let verification: Verification = json_body(&body)?;
    Ok(match state.journal.verify(verification)? {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(mismatch) => (StatusCode::NOT_ACCEPTABLE, Json(mismatch)).into_response(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wait {
    route: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    api_key: Option<String>,
    #[serde(default)]
    user: Option<String>,
    /// Default 5 s; at most `server.request_timeout` less a second.
    #[serde(default)]
    timeout: Option<SignedDuration>,
}

/// 200 with the newest matching entry (it may have arrived before the call), 408 at timeout.
async fn wait(State(state): State<AppState>, body: Bytes) -> Result<Response, ControlError> {
    let wait: Wait = json_body(&body)?;
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

async fn clear(State(state): State<AppState>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}
