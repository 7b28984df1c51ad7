//! A client's `X-Request-Id` is kept only when it is one short, plain token
//! (`docs/protocol.md#operations`): it is echoed in the answer and written into every log line of
//! the request, so anything else (5,000 characters, quotes and `key=value` text that would forge
//! log fields, two ids) is dropped and a fresh UUID takes its place.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// Longest id kept: a UUID is 36 characters, a W3C trace id 32.
pub const MAX_REQUEST_ID: usize = 64;
const HEADER: &str = "x-request-id";

pub async fn drop_unsafe_request_id(mut request: Request, next: Next) -> Response {
    let headers = request.headers_mut();
    let mut sent = headers.get_all(HEADER).iter();
    let keep = match (sent.next(), sent.next()) {
        (None, _) => true,
        (Some(id), None) => is_safe(id),
        (Some(_), Some(_)) => false,
    };
    if !keep {
        // The request-id layer inside this one generates a UUID when none is left.
        headers.remove(HEADER);
    }
    next.run(request).await
}

fn is_safe(id: &HeaderValue) -> bool {
    let id = id.as_bytes();
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
}
