//! How [`Error`] reaches the client: upstream's texts and status codes only. The cause of a
//! 5xx travels in a response extension to [`log_failures`], which logs it; it is never sent.

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::Error;

/// Upstream's body for an unexpected failure (PROTOCOL.md 4).
pub const INTERNAL_ERROR: &str = "An internal server error occurred.";

#[derive(Clone)]
struct FailureCause(Arc<anyhow::Error>);

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match self {
            Error::BadRequest(text) => text_response(StatusCode::BAD_REQUEST, text),
            Error::Rejected => StatusCode::BAD_REQUEST.into_response(),
            Error::Unauthorized(detail) => problem(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized",
                detail,
            ),
            Error::EntryApiForbidden => problem(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                "Given API key is not authorized to use Entry API.".into(),
            ),
            Error::Control {
                status,
                message,
                field,
            } => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
                (
                    status,
                    Json(ControlError {
                        error: message,
                        field,
                    }),
                )
                    .into_response()
            }
            Error::Forbidden(text) => text_response(StatusCode::FORBIDDEN, text),
            Error::NotFound => text_response(StatusCode::NOT_FOUND, "Not found.".into()),
            Error::Unavailable(cause) => {
                let text = "The service is temporarily unavailable; try again shortly.";
                let mut response = text_response(StatusCode::SERVICE_UNAVAILABLE, text.into());
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                response
                    .extensions_mut()
                    .insert(FailureCause(Arc::new(cause)));
                response
            }
            Error::Internal(cause) => {
                let mut response =
                    text_response(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR.into());
                response
                    .extensions_mut()
                    .insert(FailureCause(Arc::new(cause)));
                response
            }
        }
    }
}

/// An Entry API failure as RFC 9457 problem details, members in upstream's order.
#[derive(Serialize)]
struct Problem {
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    detail: String,
}

#[derive(Serialize)]
struct ControlError {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
}

fn problem(status: StatusCode, kind: &str, title: &'static str, detail: String) -> Response {
    let body = Problem {
        kind: format!("https://api.publiq.be/probs/auth/{kind}"),
        title,
        status: status.as_u16(),
        detail,
    };
    let json = serde_json::to_string(&body).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        json,
    )
        .into_response()
}

/// A `text/plain; charset=utf-8` response.
pub fn text_response(status: StatusCode, text: String) -> Response {
    let content_type = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
    (status, content_type, Body::from(text)).into_response()
}

/// Logs the cause of every 5xx answer with its route.
pub async fn log_failures(request: Request, next: Next) -> Response {
    let route = crate::http::params::route_of(&request);
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
