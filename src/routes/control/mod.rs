//! The control plane, `/_emulator/*` (PROTOCOL.md 7): JSON over HTTP so a test in any language
//! can drive the emulator. Guarded by [`crate::http::admin::control_plane_access`].

mod clock;
mod tokens;

use axum::Router;

use super::AppState;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(clock::router())
        .merge(tokens::router())
        .route_layer(axum::middleware::from_fn_with_state(
            state,
            crate::http::admin::control_plane_access,
        ))
}
