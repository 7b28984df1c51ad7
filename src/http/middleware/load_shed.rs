//! The answer when more requests are in flight than `server.max_concurrent_requests`: a fast
//! 503 with `Retry-After` instead of a queue (`docs/protocol.md#operations`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

pub async fn overloaded(_: axum::BoxError) -> Response {
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
