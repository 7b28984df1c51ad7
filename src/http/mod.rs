//! HTTP plumbing shared by the route modules: the error mapping of each wire surface, the
//! request pipeline, strict parameter parsing, cookies, HTML pages, the client's address and
//! the Entry API gateway's client to its upstream.

pub mod connection;
pub mod cookies;
pub mod error;
pub mod middleware;
pub mod pages;
pub mod params;
pub mod peer;
pub mod upstream;

pub use error::text;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::{ControlError, Failure};

/// A 302 (`docs/protocol.md#headers`: upstream's 301 is cacheable, a token-bearing redirect
/// must not be).
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
        Err(_) => Failure::Internal(anyhow::anyhow!("redirect target is not a header value"))
            .into_response(),
    }
}

/// Parses a JSON request body; a malformed one is a control-plane 400 saying what is wrong.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ControlError> {
    serde_json::from_slice(body).map_err(|e| {
        ControlError::Malformed(format!("the request body is not the expected JSON: {e}"))
    })
}
