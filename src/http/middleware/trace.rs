//! One span per request named by its route template, and one line when it is answered. Lines
//! carry the route template, the status and the duration, never the query string or headers,
//! so no token or key can reach a log.

use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::http::Response;
use tower_http::trace::TraceLayer;
use tracing::Span;

/// One span per request named by its route template, and one line when it is answered.
// The type is TraceLayer's own list of callbacks; an alias would only move it.
#[allow(clippy::type_complexity)]
pub fn trace_layer() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&Request) -> Span + Clone,
    (),
    impl Fn(&Response<axum::body::Body>, Duration, &Span) + Clone,
    (),
    (),
    (),
> {
    TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            let route = request
                .extensions()
                .get::<MatchedPath>()
                .map_or("<unmatched>", |p| p.as_str());
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %request.method(), route = %route, request_id = %id)
        })
        .on_request(())
        .on_response(
            |response: &Response<axum::body::Body>, latency: Duration, _: &Span| {
                tracing::info!(
                    status = response.status().as_u16(),
                    duration_ms = latency.as_secs_f64() * 1e3,
                    "answered"
                );
            },
        )
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}
