//! Records every answered request in the metrics, by route template, method and status
//! (`docs/protocol.md#operations`).

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::http::params::route_of;

pub async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_of(&request);
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    crate::metrics::request(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}
