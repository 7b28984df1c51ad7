//! Provider errors as upstream answers them: plain text, or an empty 400.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::text;
use crate::error::ProviderError;

impl IntoResponse for ProviderError {
    fn into_response(self) -> Response {
        match self {
            Self::BadRequest(message) => text(StatusCode::BAD_REQUEST, message),
            Self::Rejected => StatusCode::BAD_REQUEST.into_response(),
            Self::Forbidden(message) => text(StatusCode::FORBIDDEN, message),
            Self::NotFound => text(StatusCode::NOT_FOUND, "Not found.".into()),
            Self::Failure(failure) => failure.into_response(),
        }
    }
}
