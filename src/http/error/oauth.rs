//! Token-endpoint errors as Keycloak writes them: `{"error","error_description"}`, JSON, never
//! cached (`docs/protocol.md#token-endpoint`). A 500/503 keeps its status, `Retry-After` and
//! logged cause, in the same JSON shape, so an OAuth2 library can read every answer.

use std::borrow::Cow;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{INVALID_CLIENT, OAuthError};

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let bad_request = |error, why: String| (StatusCode::BAD_REQUEST, error, Cow::from(why));
        let (status, error, description) = match self {
            Self::InvalidRequest(why) => bad_request("invalid_request", why),
            Self::InvalidGrant(why) => bad_request("invalid_grant", why),
            Self::InvalidScope(why) => bad_request("invalid_scope", why),
            Self::UnauthorizedClient(why) => {
                (StatusCode::BAD_REQUEST, "unauthorized_client", why.into())
            }
            Self::UnsupportedGrantType => (
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Unsupported grant_type".into(),
            ),
            Self::InvalidClient => (
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                INVALID_CLIENT.into(),
            ),
            Self::InvalidToken(why) => {
                let mut response = json(StatusCode::UNAUTHORIZED, "invalid_token", why);
                let challenge = format!(
                    "Bearer realm=\"uitid\", error=\"invalid_token\", error_description=\"{why}\""
                );
                if let Ok(value) = HeaderValue::from_str(&challenge) {
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, value);
                }
                return response;
            }
            Self::OtherClientsToken => (
                StatusCode::BAD_REQUEST,
                "unauthorized_client",
                "Unmatching clients".into(),
            ),
            Self::TooManyRequests { retry_after } => {
                let mut response = json(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    "Too many failed attempts; try again later.",
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                return response;
            }
            Self::Failure(failure) => return failure_as_json(failure.into_response()),
        };
        json(status, error, &description)
    }
}

/// A JSON answer with the headers Keycloak puts on every token-endpoint answer.
pub fn json(status: StatusCode, error: &str, description: &str) -> Response {
    let body = serde_json::to_string(&ErrorBody {
        error,
        error_description: description,
    })
    .unwrap_or_default();
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    no_store(headers);
    response
}

/// `Cache-Control: no-store` and `Pragma: no-cache`: answers that carry tokens (or say why
/// none was given) must not be cached (RFC 6749 section 5.1).
pub fn no_store(headers: &mut axum::http::HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// The shared 500/503 (status, `Retry-After`, logged cause) with an OAuth2 body.
fn failure_as_json(plain: Response) -> Response {
    let (parts, _) = plain.into_parts();
    let (error, description) = if parts.status == StatusCode::SERVICE_UNAVAILABLE {
        (
            "temporarily_unavailable",
            "The service is temporarily unavailable; try again shortly.",
        )
    } else {
        ("server_error", "An internal server error occurred.")
    };
    let mut response = json(parts.status, error, description);
    *response.extensions_mut() = parts.extensions;
    if let Some(retry) = parts.headers.get(header::RETRY_AFTER) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, retry.clone());
    }
    response
}
