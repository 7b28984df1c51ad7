//! `GET /refresh` (PROTOCOL.md 4.4): checks in upstream's order; the API-key layer does the
//! first one.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::AppState;
use crate::error::{Error, Result};
use crate::http::api_key::{CallerKey, require_refresh, resolve_api_key};
use crate::http::params::Params;
use crate::service::MISSING_REFRESH;

pub fn router(state: AppState) -> Router<AppState> {
    // Layered on the GET handler itself, not the route, so a wrong method is still a 405.
    let refresh = get(refresh)
        .route_layer(axum::middleware::from_fn(require_refresh))
        .route_layer(axum::middleware::from_fn_with_state(state, resolve_api_key));
    Router::new().route("/refresh", refresh)
}

/// 200 with the bare JWT as `text/plain`: no JSON, no quotes, no newline.
async fn refresh(
    State(emulator): State<AppState>,
    params: Params,
    caller: CallerKey,
) -> Result<Response> {
    let key = caller.key.ok_or(Error::Rejected)?;
    let token = params
        .non_empty("refresh")
        .ok_or_else(|| Error::BadRequest(MISSING_REFRESH.into()))?;
    let jwt = emulator.refresh(&key, token).await?;
    Ok(crate::http::text(StatusCode::OK, jwt))
}
