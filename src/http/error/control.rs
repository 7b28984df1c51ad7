//! Control-plane errors as JSON `{"error": ..., "field": ...}` (`docs/protocol.md#control-plane`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::ControlError;

#[derive(Serialize)]
struct Body {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let (status, error, field) = match self {
            Self::Invalid { field, message } => (StatusCode::BAD_REQUEST, message, Some(field)),
            Self::NotFound { field, message } => (StatusCode::NOT_FOUND, message, field),
            Self::Conflict { field, message } => (StatusCode::CONFLICT, message, field),
            Self::Malformed(message) => (StatusCode::BAD_REQUEST, message, None),
            Self::AdminTokenRequired => (
                StatusCode::UNAUTHORIZED,
                "send Authorization: Bearer <admin.token>".into(),
                None,
            ),
            Self::LoopbackOnly => (
                StatusCode::FORBIDDEN,
                "the control plane answers loopback clients only (set admin.token to open it)"
                    .into(),
                None,
            ),
            Self::ForeignHost => (
                StatusCode::FORBIDDEN,
                "without admin.token the control plane answers requests addressed to a loopback \
                 name or to public_url's host only"
                    .into(),
                None,
            ),
            Self::CrossSite => (
                StatusCode::FORBIDDEN,
                "the control plane refuses changes sent by a page from another origin".into(),
                None,
            ),
            Self::Failure(failure) => return failure.into_response(),
        };
        (status, Json(Body { error, field })).into_response()
    }
}
