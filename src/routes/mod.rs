//! The route table: each module exposes `router()`, merged here so the whole list reads top
//! to bottom, with the layers every route shares.

mod connect;
mod control;
mod entry_api;
mod keys;
mod login;
mod logout;
mod oob;
mod refresh;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::emulator::Emulator;
use crate::error::Error;
use crate::http::log_failures;

/// What every handler gets: the emulator core.
pub type AppState = Arc<Emulator>;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(connect::router(state.clone()))
        .merge(login::router())
        .merge(oob::router())
        .merge(refresh::router(state.clone()))
        .merge(logout::router(state.clone()))
        .merge(keys::router())
        .merge(entry_api::router(state.clone()))
        .merge(control::router(state.clone()))
        .fallback(|| async { Error::NotFound })
        .layer(axum::middleware::from_fn(log_failures))
        .layer(
            // PROTOCOL.md 4.6: nothing that may carry a token is cached or leaks via Referer.
            ServiceBuilder::new()
                .layer(if_absent(header::CACHE_CONTROL, "no-store"))
                .layer(if_absent(header::PRAGMA, "no-cache"))
                .layer(if_absent(header::REFERRER_POLICY, "no-referrer"))
                .layer(if_absent(header::X_CONTENT_TYPE_OPTIONS, "nosniff")),
        )
        .layer(CatchPanicLayer::custom(|_| panic_response()))
        .layer(crate::telemetry::trace_layer())
        .with_state(state)
}

fn if_absent(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

fn panic_response() -> Response {
    tracing::error!("a request handler panicked");
    Error::Internal(anyhow::anyhow!("handler panicked")).into_response()
}
