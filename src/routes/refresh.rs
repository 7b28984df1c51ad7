//! `GET /refresh` (`docs/protocol.md#refresh`): the API-key layer reads the key, the use case
//! applies upstream's checks in order (`service::RefreshService::refresh`).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use crate::app::AppState;
use crate::error::ProviderError;
use crate::fault::FaultRoute;
use crate::http::middleware::api_key::{CallerKey, resolve_api_key};
use crate::http::middleware::faults::apply_faults;
use crate::http::params::Params;
use crate::http::peer::PeerAddress;
use crate::service::JournalNote;
use crate::token::token_id;

pub fn router(state: AppState) -> Router<AppState> {
    // Layered on the GET handler itself, not the route, so a wrong method is still a 405.
    // Faults outside the key layer, so a fault sees which key the caller used.
    let refresh = get(refresh)
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            resolve_api_key,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            (state, FaultRoute::Refresh),
            apply_faults,
        ));
    Router::new().route("/refresh", refresh)
}

/// 200 with the bare JWT as `text/plain`: no JSON, no quotes, no newline.
async fn refresh(
    State(state): State<AppState>,
    params: Params,
    caller: CallerKey,
    PeerAddress(peer): PeerAddress,
) -> Result<Response, ProviderError> {
    let refreshed = state
        .refresh
        .refresh(
            caller.key.as_deref(),
            caller.presented.is_some(),
            params.get("refresh"),
            peer,
        )
        .await?;
    let access = token_id(&refreshed.jwt);
    let mut response = crate::http::text(StatusCode::OK, refreshed.jwt);
    response.extensions_mut().insert(JournalNote {
        user: Some(refreshed.user_uid),
        lineage: Some(format!("refresh token {} -> {access}", refreshed.token_id)),
        ..JournalNote::default()
    });
    Ok(response)
}
