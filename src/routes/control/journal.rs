//! `/_emulator/journal`: query, `verify` and clear (`docs/protocol.md#journal`); `wait` is in
//! `journal_wait.rs`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::refresh_tokens::params;
use crate::app::AppState;
use crate::error::ControlError;
use crate::http::error::ControlErrorBody;
use crate::http::json_body;
use crate::service::{EntryFilter, JournalEntry, Verification, VerifyMismatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, clear))
        .routes(routes!(verify))
        .merge(super::journal_wait::router())
}

/// Journal entries, newest first.
#[derive(Serialize, ToSchema)]
struct EntryList {
    entries: Vec<JournalEntry>,
}

/// Query the journal.
#[utoipa::path(get, path = "/_emulator/journal", tag = "journal", operation_id = "list_journal",
    params(
        ("route" = Option<String>, Query, description = "a route template such as /refresh"),
        ("status" = Option<u16>, Query),
        ("api_key" = Option<String>, Query, description = "a key as clients present it, or its name"),
        ("user" = Option<String>, Query, description = "uid or nick"),
        ("client" = Option<String>, Query, description = "an OAuth2 client's id"),
        ("limit" = Option<u64>, Query, description = "at most this many entries"),
    ),
    responses(
        (status = 200, description = "Matching entries", body = EntryList),
        (status = 400, description = "status or limit is not a number, or a query parameter \
            given twice", body = ControlErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<EntryList>, ControlError> {
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
        client: params.non_empty("client").map(str::to_owned),
    };
    let limit = number("limit")?.map(|l| l as usize);
    let entries = state.journal.list(filter, limit);
    Ok(Json(EntryList { entries }))
}

/// Check how many requests matched.
///
/// 202 when the count is within bounds (default: at least one), else 406 with what was found.
#[utoipa::path(post, path = "/_emulator/journal/verify", tag = "journal",
    operation_id = "verify_journal",
    request_body = Verification,
    responses(
        (status = 202, description = "The count is within the bounds"),
        (status = 406, description = "It is not: what was expected and found", body = VerifyMismatch),
        (status = 400, description = "route missing", body = ControlErrorBody),
    ))]
async fn verify(State(state): State<AppState>, body: Bytes) -> Result<Response, ControlError> {
    let verification: Verification = json_body(&body)?;
    Ok(match state.journal.verify(verification)? {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(mismatch) => (StatusCode::NOT_ACCEPTABLE, Json(mismatch)).into_response(),
    })
}

/// Clear the journal.
#[utoipa::path(delete, path = "/_emulator/journal", tag = "journal", operation_id = "clear_journal",
    responses((status = 204, description = "Cleared")))]
async fn clear(State(state): State<AppState>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}
