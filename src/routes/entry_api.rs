//! `GET /user`: the UiTdatabank Entry API's token check (`docs/protocol.md#entry-api-check`).

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::routing::get;
use axum::{Extension, Json, Router};

use crate::app::AppState;
use crate::error::EntryApiError;
use crate::fault::FaultRoute;
use crate::http::middleware::api_key::{CallerKey, resolve_api_key};
use crate::http::middleware::faults::apply_faults;
use crate::service::{EntryApiUser, JournalNote};
use crate::token::token_id;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/user", get(user))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            resolve_api_key,
        ))
        // Outside the key layer, so a fault sees which key the caller used.
        .route_layer(axum::middleware::from_fn_with_state(
            (state, FaultRoute::User),
            apply_faults,
        ))
}

async fn user(
    State(state): State<AppState>,
    caller: CallerKey,
    headers: HeaderMap,
) -> Result<(Extension<JournalNote>, Json<EntryApiUser>), EntryApiError> {
    // Two tokens are refused rather than one picked: another reader could pick the other.
    if headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .nth(1)
        .is_some()
    {
        let twice = "Authorization header is given more than once.";
        return Err(EntryApiError::Unauthorized(twice.into()));
    }
    // A header that is not text is as good as a malformed one.
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or(""));
    let user = state.entry_api.user(
        authorization,
        caller.presented.as_deref(),
        caller.key.as_deref(),
    )?;
    let note = JournalNote {
        user: Some(user.uuid.clone()),
        lineage: authorization
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(|jwt| format!("access token {}", token_id(jwt))),
        ..JournalNote::default()
    };
    Ok((Extension(note), Json(user)))
}
