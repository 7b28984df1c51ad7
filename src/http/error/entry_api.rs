//! Entry API errors as RFC 9457 problem details, members in upstream's order
//! (`docs/protocol.md#entry-api-check`).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::EntryApiError;

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
        match self {
            Self::Unauthorized(detail) => problem(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized",
                detail,
            ),
            Self::Forbidden => problem(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                "Given API key is not authorized to use Entry API.".into(),
            ),
            Self::Failure(failure) => failure.into_response(),
        }
    }
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
