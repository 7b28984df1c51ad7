//! Entry API errors as RFC 9457 problem details, members in upstream's order
//! (`docs/protocol.md#entry-api-check`, `docs/protocol.md#entry-api-gateway`).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::EntryApiError;

/// Upstream's problem types live under this.
const PUBLIQ_PROBLEMS: &str = "https://api.publiq.be/probs";
/// The gateway's own failure: not publiq's, so a client cannot mistake it for the Entry API's.
pub const BAD_GATEWAY_TYPE: &str = "urn:uitid-emulator:problem:bad-gateway";

#[derive(Serialize)]
struct Problem {
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    detail: String,
}

impl IntoResponse for EntryApiError {
    fn into_response(self) -> Response {
        let publiq = |kind: &str| format!("{PUBLIQ_PROBLEMS}/{kind}");
        let (status, kind, title, detail) = match self {
            Self::Unauthorized(detail) => (
                StatusCode::UNAUTHORIZED,
                publiq("auth/unauthorized"),
                "Unauthorized",
                detail,
            ),
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                publiq("auth/forbidden"),
                "Forbidden",
                "Given API key is not authorized to use Entry API.".into(),
            ),
            Self::TokenForbidden => (
                StatusCode::FORBIDDEN,
                publiq("auth/forbidden"),
                "Forbidden",
                "The given token and its related client are not allowed to access EntryAPI.".into(),
            ),
            Self::NoUpstream => (
                StatusCode::NOT_FOUND,
                publiq("url/not-found"),
                "Not Found",
                "The emulator's Entry API gateway has no upstream to pass this request to.".into(),
            ),
            Self::BadGateway(detail) => (
                StatusCode::BAD_GATEWAY,
                BAD_GATEWAY_TYPE.to_owned(),
                "Bad Gateway",
                detail.into(),
            ),
            Self::Failure(failure) => return failure.into_response(),
        };
        problem(status, kind, title, detail)
    }
}

fn problem(status: StatusCode, kind: String, title: &'static str, detail: String) -> Response {
    let body = Problem {
        kind,
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
