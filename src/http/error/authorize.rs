//! The authorization endpoint's and realm logout's errors: a 400 page, or the redirect back to
//! the client (`docs/protocol.md#authorization-endpoint`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::oauth::no_store;
use crate::error::AuthorizeError;
use crate::http::pages;

impl IntoResponse for AuthorizeError {
    fn into_response(self) -> Response {
        match self {
            Self::Page(text) => {
                let body = html! {
                    h1 { "We are sorry..." }
                    p.error { (text) }
                };
                let mut response = pages::page(StatusCode::BAD_REQUEST, "en", "Error", body, None);
                no_store(response.headers_mut());
                response
            }
            Self::Redirect(url) => {
                let mut response = crate::http::found(&url);
                no_store(response.headers_mut());
                response
            }
            Self::Failure(failure) => failure.into_response(),
        }
    }
}
