//! `POST .../token/introspect` (RFC 7662) and `POST .../revoke` (RFC 7009), for authenticated
//! clients (`docs/protocol.md#introspection`, `docs/protocol.md#revocation`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::params::{realm_form, token_request};
use crate::app::AppState;
use crate::error::OAuthError;
use crate::http::error::no_store;
use crate::http::peer::PeerAddress;
use crate::service::TokenRequest;

fn request(headers: &HeaderMap, body: &[u8], peer: Option<std::net::IpAddr>) -> TokenRequest {
    token_request(realm_form(headers, body), headers, peer)
}

pub async fn introspect(
    State(state): State<AppState>,
    PeerAddress(peer): PeerAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let answer = state
        .oauth_token
        .introspect(&request(&headers, &body, peer))
        .await?;
    let mut response = Json(answer).into_response();
    no_store(response.headers_mut());
    Ok(response)
}

pub async fn revoke(
    State(state): State<AppState>,
    PeerAddress(peer): PeerAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    state
        .oauth_token
        .revoke(&request(&headers, &body, peer))
        .await?;
    let mut response = StatusCode::OK.into_response();
    no_store(response.headers_mut());
    Ok(response)
}
