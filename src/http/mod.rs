//! HTTP plumbing shared by the route modules: the error mapping, strict parameter parsing,
//! the API-key layer, cookies and HTML pages.

pub mod admin;
pub mod api_key;
pub mod cookies;
mod error;
pub mod limits;
pub mod observe;
pub mod pages;
pub mod params;

pub use error::{log_failures, text_response as text};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A 302 (PROTOCOL.md 8: upstream's 301 is cacheable, a token-bearing redirect must not be).
pub fn found(location: &str) -> Response {
    redirect(StatusCode::FOUND, location)
}

/// A 303, the answer to a successful login form.
pub fn see_other(location: &str) -> Response {
    redirect(StatusCode::SEE_OTHER, location)
}

fn redirect(status: StatusCode, location: &str) -> Response {
    match HeaderValue::try_from(location) {
        Ok(value) => (status, [(header::LOCATION, value)]).into_response(),
        Err(_) => {
            crate::error::Error::Internal(anyhow::anyhow!("redirect target is not a header value"))
                .into_response()
        }
    }
}

/// Parses a JSON request body; a malformed one is a control-plane 400 saying what is wrong.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> crate::error::Result<T> {
    serde_json::from_slice(body).map_err(|e| crate::error::Error::Control {
        status: 400,
        message: format!("the request body is not the expected JSON: {e}"),
        field: None,
    })
}
