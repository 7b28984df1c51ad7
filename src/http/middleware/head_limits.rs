//! Refuses oversized request heads with 414 or 431 (`docs/protocol.md#operations`), the same
//! answer every time. hyper's `max_buf_size` only bounds memory: whether an
//! oversized head is refused depends on how the bytes arrive, so the same request could pass
//! once and fail the next time. This check gives one answer for one request.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Longest request target: a keycloak-profile JWT (~16 KiB) in a query string fits.
pub const MAX_URI_BYTES: usize = 24 * 1024;
/// Largest sum of header names and values.
pub const MAX_HEADER_BYTES: usize = 24 * 1024;

pub async fn limit_head(request: Request, next: Next) -> Response {
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return crate::http::text(
            StatusCode::URI_TOO_LONG,
            "The request target is too long.".into(),
        );
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len())
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        let text = "The request headers are too large.".into();
        return crate::http::text(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, text);
    }
    next.run(request).await
}
