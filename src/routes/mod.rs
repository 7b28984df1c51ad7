//! The route table: each module exposes `router()`, merged here so the whole list reads top
//! to bottom, with the layers every route shares.

mod connect;
mod control;
mod entry_api;
mod health;
mod keys;
mod login;
mod logout;
mod oob;
mod refresh;

use std::sync::Arc;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{BoxError, Router};
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::emulator::Emulator;
use crate::error::Error;
use crate::http::log_failures;
use crate::http::observe::record_metrics;

/// What every handler gets: the emulator core.
pub type AppState = Arc<Emulator>;

/// Request bodies are small forms and JSON; anything larger is refused with 413 unread.
const BODY_LIMIT: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    let server = &state.settings.server;
    let served = Router::new()
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
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            server.request_timeout,
        ))
        .layer(
            // One semaphore for the whole server: beyond the cap, answer at once, don't queue.
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: BoxError| async { overloaded() }))
                .layer(LoadShedLayer::new())
                .layer(GlobalConcurrencyLimitLayer::new(
                    server.max_concurrent_requests,
                )),
        );
    served
        .merge(health::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(
            // PROTOCOL.md 4.6: nothing that may carry a token is cached or leaks via Referer.
            ServiceBuilder::new()
                .layer(if_absent(header::CACHE_CONTROL, "no-store"))
                .layer(if_absent(header::PRAGMA, "no-cache"))
                .layer(if_absent(header::REFERRER_POLICY, "no-referrer"))
                .layer(if_absent(header::X_CONTENT_TYPE_OPTIONS, "nosniff")),
        )
        .layer(CatchPanicLayer::custom(|_| panic_response()))
        .layer(axum::middleware::from_fn(record_metrics))
        .layer(crate::telemetry::trace_layer())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::from_fn(crate::http::limits::limit_head))
        .with_state(state)
}

fn if_absent(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

fn overloaded() -> Response {
    crate::metrics::refused("overloaded");
    let mut response = crate::http::text(
        StatusCode::SERVICE_UNAVAILABLE,
        "Too many requests at once; try again.".into(),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

fn panic_response() -> Response {
    tracing::error!("a request handler panicked");
    Error::Internal(anyhow::anyhow!("handler panicked")).into_response()
}
