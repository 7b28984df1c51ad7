//! How each surface's error reaches the client (`crate::error`): upstream's texts and status
//! codes only. The cause of a 5xx travels in a response extension to the failure-log middleware
//! (`http::middleware::failure_log`), which logs it; it is never sent.

mod authorize;
mod control;
mod entry_api;
mod oauth;
mod provider;

pub use control::ControlErrorBody;
pub use oauth::no_store;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::Failure;

/// Upstream's body for an unexpected failure (`docs/protocol.md#provider-routes`).
pub const INTERNAL_ERROR: &str = "An internal server error occurred.";

/// The logged-never-sent cause of a 5xx answer.
#[derive(Clone)]
pub(crate) struct FailureCause(pub Arc<anyhow::Error>);

/// The same 500/503 on every surface: a client cannot tell one database problem from another.
impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (mut response, cause) = match self {
            Failure::Unavailable(cause) => {
                let message = "The service is temporarily unavailable; try again shortly.";
                let mut response = text(StatusCode::SERVICE_UNAVAILABLE, message.into());
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                (response, cause)
            }
            Failure::Internal(cause) => (
                text(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR.into()),
                cause,
            ),
        };
        response
            .extensions_mut()
            .insert(FailureCause(Arc::new(cause)));
        response
    }
}

/// A `text/plain; charset=utf-8` response.
pub fn text(status: StatusCode, text: String) -> Response {
    let content_type = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
    (status, content_type, Body::from(text)).into_response()
}
