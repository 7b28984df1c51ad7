//! Headers on every answer that may carry a token (`docs/protocol.md#headers`): nothing is
//! cached and nothing leaks through `Referer`. A handler that sets one itself keeps its value.

use axum::http::{HeaderName, HeaderValue, header};
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

type IfAbsent = SetResponseHeaderLayer<HeaderValue>;
/// Four `IfAbsent` layers, as `ServiceBuilder` nests them.
type FourHeaders = Stack<IfAbsent, Stack<IfAbsent, Stack<IfAbsent, Stack<IfAbsent, Identity>>>>;

/// `Cache-Control: no-store`, `Pragma: no-cache`, `Referrer-Policy: no-referrer`,
/// `X-Content-Type-Options: nosniff`.
pub fn layer() -> ServiceBuilder<FourHeaders> {
    ServiceBuilder::new()
        .layer(if_absent(header::CACHE_CONTROL, "no-store"))
        .layer(if_absent(header::PRAGMA, "no-cache"))
        .layer(if_absent(header::REFERRER_POLICY, "no-referrer"))
        .layer(if_absent(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
}

fn if_absent(name: HeaderName, value: &'static str) -> IfAbsent {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
