//! Provider errors as upstream answers them: plain text, or an empty 400; the 429 of the rate
//! limits (`docs/protocol.md#rate-limits`) in the same style.

use axum::http::{HeaderValue, StatusCode, header};
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
            Self::TooManyRequests { retry_after } => {
                let message = "Too many failed attempts; try again later.";
                let mut response = text(StatusCode::TOO_MANY_REQUESTS, message.into());
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                response
            }
            Self::Failure(failure) => failure.into_response(),
        }
    }
}
