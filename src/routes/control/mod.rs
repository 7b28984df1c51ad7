//! The control plane, `/_emulator/*` (`docs/protocol.md#control-plane`): JSON over HTTP so a test
//! in any language can drive the emulator, and one HTML page over it for people (`dashboard/`).
//! Guarded by [`crate::http::middleware::control_access`]. Every route is declared with
//! `#[utoipa::path]` and registered with `routes!`, so it is in `openapi.json`
//! (`docs/architecture.md#where-to-add`).

mod api_keys;
mod clients;
mod clock;
mod dashboard;
mod faults;
mod journal;
mod journal_wait;
mod keys;
mod openapi;
mod refresh_tokens;
mod reset;
mod tls;
mod tokens;
mod users;

use axum::{Extension, Router};

use crate::app::AppState;

pub fn router(state: AppState) -> Router<AppState> {
    let (router, api) = openapi::start()
        .merge(clock::router())
        .merge(tokens::router())
        .merge(refresh_tokens::router())
        .merge(users::router())
        .merge(api_keys::router())
        .merge(clients::router())
        .merge(reset::router())
        .merge(keys::router())
        .merge(tls::router())
        .merge(journal::router())
        .merge(faults::router())
        .merge(dashboard::router())
        .merge(openapi::router())
        .split_for_parts();
    router
        .layer(Extension(openapi::finish(api)))
        .route_layer(axum::middleware::from_fn_with_state(
            state,
            crate::http::middleware::control_access::control_plane_access,
        ))
}

/// A numeric id from the path; anything else is a 400 naming `id`.
fn numeric_id(id: &str, what: &str) -> Result<i64, crate::error::ControlError> {
    id.parse::<i64>().map_err(|_| {
        crate::error::ControlError::invalid("id", format!("{id:?} is not a {what} id"))
    })
}
