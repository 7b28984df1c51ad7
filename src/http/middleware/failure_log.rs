//! Logs the cause of every 5xx answer with its route; the client saw only the generic text.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::http::error::FailureCause;
use crate::http::params::route_of;

pub async fn log_failures(request: Request, next: Next) -> Response {
    let route = route_of(&request);
    let response = next.run(request).await;
    if let Some(FailureCause(cause)) = response.extensions().get::<FailureCause>() {
        tracing::error!(
            route,
            status = response.status().as_u16(),
            "request failed: {cause:#}"
        );
    }
    response
}
