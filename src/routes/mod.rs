//! The route table: each module exposes `router()` and holds HTTP only (extract, call a
//! service, map the outcome to a response). They are merged here so the whole list reads top
//! to bottom, then wrapped in the request pipeline (`http::middleware::apply`).

mod connect;
mod control;
mod entry_api;
mod gateway;
mod health;
mod keys;
mod login;
mod logout;
mod oauth;
mod oob;
mod refresh;

use axum::Router;

use crate::app::AppState;
use crate::error::ProviderError;
use crate::http::middleware::{self, InFlight};

/// Every route with its layers. `in_flight` counts requests for graceful shutdown; give a
/// fresh `InFlight::default()` when driving the router without a server.
pub fn router(state: AppState, in_flight: InFlight) -> Router {
    let served = Router::new()
        .merge(connect::router(state.clone()))
        .merge(login::router(state.clone()))
        .merge(oob::router())
        .merge(refresh::router(state.clone()))
        .merge(logout::router(state.clone()))
        .merge(keys::router())
        .merge(oauth::router(state.clone()))
        .merge(entry_api::router(state.clone()))
        .merge(control::router(state.clone()))
        .fallback(|| async { ProviderError::NotFound });
    // Every other path goes to the Entry API gateway when it is on; else the fallback's 404.
    let gateway = gateway::router(state.clone());
    middleware::apply(served, gateway, health::router(), state, in_flight)
}
