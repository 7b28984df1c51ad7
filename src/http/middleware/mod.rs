//! The request pipeline, built in one place: [`apply`] wraps the route table in every layer a
//! request passes, outermost first. Each middleware of our own lives in a file of its own; the
//! ones that guard particular routes ([`api_key`], [`entry_auth`], [`gateway_admission`],
//! [`control_access`]) are applied by those routes with `route_layer`, so unmatched paths stay
//! 404.

pub mod api_key;
pub mod control_access;
pub mod entry_auth;
mod failure_log;
pub mod faults;
pub mod gateway_admission;
mod head_limits;
mod in_flight;
mod journal;
mod load_shed;
mod panic;
mod request_id;
mod request_metrics;
mod security_headers;
mod trace;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;

pub use head_limits::{MAX_HEADER_BYTES, MAX_URI_BYTES};
pub use in_flight::InFlight;

use crate::app::AppState;

/// Request bodies are small forms and JSON; anything larger is refused with 413 unread.
pub const BODY_LIMIT: usize = 64 * 1024;
/// The Entry API gateway passes JSON and uploads (images) on, streamed: larger than any the
/// Entry API takes, small enough that a runaway client is stopped (`docs/protocol.md#entry-api-gateway`).
pub const GATEWAY_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// `served` are the routes that do work; `gateway` (when on) the Entry API gateway, which has
/// its own body limit and its own timeout (`entry_api.upstream_timeout`) instead of the request
/// timeout; `probes` (health, metrics) skip load shedding and the request timeout, so they
/// still answer when the server is saturated.
pub fn apply(
    served: Router<AppState>,
    gateway: Option<Router<AppState>>,
    probes: Router<AppState>,
    state: AppState,
    in_flight: InFlight,
) -> Router {
    let settings = state.settings().server.clone();
    let server = &settings;
    // One semaphore for the served routes and the gateway together.
    let concurrency = GlobalConcurrencyLimitLayer::new(server.max_concurrent_requests);
    let shed = ServiceBuilder::new()
        // Beyond the cap, answer 503 at once instead of queueing.
        .layer(HandleErrorLayer::new(load_shed::overloaded))
        .layer(LoadShedLayer::new())
        .layer(concurrency);
    let served = served.layer(
        shed.clone()
            // A request that takes longer than `server.request_timeout` is answered 503.
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                server.request_timeout,
            ))
            // The cause of any 5xx is logged here, innermost, with the route it happened on.
            .layer(from_fn(failure_log::log_failures))
            // Bodies over the limit: 413 before they are read.
            .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
            .layer(DefaultBodyLimit::max(BODY_LIMIT)),
    );
    let probes = probes.layer(
        ServiceBuilder::new()
            .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
            .layer(DefaultBodyLimit::max(BODY_LIMIT)),
    );
    let mut routes = served.merge(probes);
    if let Some(gateway) = gateway {
        routes = routes.merge(
            gateway.layer(
                shed.layer(from_fn(failure_log::log_failures))
                    .layer(RequestBodyLimitLayer::new(GATEWAY_BODY_LIMIT)),
            ),
        );
    }
    routes
        .layer(
            ServiceBuilder::new()
                // Shutdown waits for requests counted here, not for idle connections.
                .layer(from_fn_with_state(in_flight, in_flight::count_in_flight))
                // Oversized request targets and headers: 414 / 431, before any work.
                .layer(from_fn(head_limits::limit_head))
                // A client's request id only when it is short and plain (it reaches the logs).
                .layer(from_fn(request_id::drop_unsafe_request_id))
                // A request id for every request (a client's own is kept), echoed back.
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(PropagateRequestIdLayer::x_request_id())
                // One log span and line per request, by route template.
                .layer(trace::trace_layer())
                // Request counts and latencies for `/metrics`.
                .layer(from_fn(request_metrics::record_metrics))
                // The journal the control plane queries (provider and Entry API requests).
                .layer(from_fn_with_state(state.clone(), journal::record))
                // A panicking handler answers the generic 500.
                .layer(CatchPanicLayer::custom(panic::panic_response))
                // no-store, no-referrer, nosniff unless the handler set its own.
                .layer(security_headers::layer()),
        )
        .with_state(state)
}
