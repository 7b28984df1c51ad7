//! The control plane, `/_emulator/*` (`docs/protocol.md#control-plane`): JSON over HTTP so a test
//! in any language can drive the emulator, and one HTML page over it for people (`dashboard/`).
//! Guarded by [`crate::http::middleware::control_access`].

mod api_keys;
mod clock;
mod dashboard;
mod faults;
mod journal;
mod keys;
mod refresh_tokens;
mod reset;
mod tokens;
mod users;

use axum::Router;

use crate::app::AppState;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(clock::router())
        .merge(tokens::router())
        .merge(refresh_tokens::router())
        .merge(users::router())
        .merge(api_keys::router())
        .merge(reset::router())
        .merge(keys::router())
        .merge(journal::router())
        .merge(faults::router())
        .merge(dashboard::router())
        .route_layer(axum::middleware::from_fn_with_state(
            state,
            crate::http::middleware::control_access::control_plane_access,
        ))
}
