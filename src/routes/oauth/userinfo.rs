//! `GET|POST .../openid-connect/userinfo` (`docs/protocol.md#userinfo`): the bearer token in the
//! `Authorization` header, or (POST, RFC 6750 section 2.2) as `access_token` in a form.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use super::params::is_form;
use crate::app::AppState;
use crate::error::OAuthError;
use crate::http::error::no_store;
use crate::service::{FormParams, JournalNote};

pub async fn userinfo(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_owned())
        });
    let in_form = (bearer.is_none() && is_form(&headers))
        .then(|| {
            FormParams::parse(&body)
                .get("access_token")
                .map(str::to_owned)
        })
        .flatten();
    let token = bearer.or(in_form).filter(|t| !t.is_empty());
    let (info, user) = state.userinfo.userinfo(token.as_deref()).await?;
    let mut response = Json(info).into_response();
    no_store(response.headers_mut());
    response.extensions_mut().insert(JournalNote {
        user: Some(user),
        ..JournalNote::default()
    });
    Ok(response)
}
