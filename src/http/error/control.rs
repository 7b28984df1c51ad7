//! Control-plane errors as JSON `{"error": ..., "field": ...}` (`docs/protocol.md#control-plane`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ControlError;

/// Every control-plane error: what went wrong, and the request member at fault.
#[derive(Serialize, ToSchema)]
pub struct ControlErrorBody {
    error: String,
    /// The request member (body member, query or path parameter) at fault; left out when no
    /// single member is to blame.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
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
        (status, Json(ControlErrorBody { error, field })).into_response()
    }
}
