//! `GET /user`: the UiTdatabank Entry API's token check (`docs/protocol.md#entry-api-check`).
//! The Entry API layer has authenticated the caller; the route adds its own checks (a user is
//! required, and must exist) and answers JSON-LD, as upstream does.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::app::AppState;
use crate::error::{EntryApiError, Failure};
use crate::fault::FaultRoute;
use crate::http::middleware::api_key::resolve_api_key;
use crate::http::middleware::entry_auth::authenticate_entry_api;
use crate::http::middleware::faults::apply_faults;
use crate::service::EntryCaller;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/user", get(user))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            authenticate_entry_api,
        ))
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
    caller: EntryCaller,
) -> Result<impl IntoResponse, EntryApiError> {
    let user = state.entry_api.user(&caller)?;
    let json = serde_json::to_string(&user).map_err(|e| Failure::Internal(e.into()))?;
    Ok(([(header::CONTENT_TYPE, "application/ld+json")], json))
}
