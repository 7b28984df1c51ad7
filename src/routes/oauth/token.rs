//! `POST /realms/uitid/protocol/openid-connect/token` (form) and its Auth0-compatible alias
//! `POST /oauth/token` (form or JSON; `audience` ignored): parse, call the token endpoint's use
//! case, answer Keycloak's JSON (`docs/protocol.md#token-endpoint`).

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::error::OAuthError;
use crate::http::error::no_store;
use crate::http::peer::PeerAddress;
use crate::service::{BasicCredentials, JournalNote, TokenGranted, TokenRequest};

/// The realm's endpoint: an `application/x-www-form-urlencoded` body only. Anything else reads
/// as a form without parameters, which is what Keycloak answers a JSON body with.
pub async fn realm_token(
    State(state): State<AppState>,
    PeerAddress(peer): PeerAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = if is_form(&headers) {
        form(&body)
    } else {
        (HashMap::new(), false)
    };
    answer(&state, params, &headers, peer).await
}

/// The Auth0-compatible alias: a form or a JSON object of strings.
pub async fn auth0_token(
    State(state): State<AppState>,
    PeerAddress(peer): PeerAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = if content_type(&headers).starts_with("application/json") {
        match json_params(&body) {
            Ok(params) => (params, false),
            Err(refused) => return refused.into_response(),
        }
    } else {
        form(&body)
    };
    answer(&state, params, &headers, peer).await
}

async fn answer(
    state: &AppState,
    (params, duplicated): (HashMap<String, String>, bool),
    headers: &HeaderMap,
    peer: Option<std::net::IpAddr>,
) -> Response {
    let request = TokenRequest {
        params,
        duplicated,
        basic: basic_credentials(headers),
        peer,
    };
    match state.oauth_token.exchange(&request).await {
        Ok(granted) => granted_response(granted),
        Err(refused) => {
            let mut response = refused.into_response();
            // A refusal names the client too, when the request named a known one: the
            // journal and client-matched faults see it.
            let named = match &request.basic {
                BasicCredentials::Given { client_id, .. } => Some(client_id.as_str()),
                _ => request.params.get("client_id").map(String::as_str),
            };
            if let Some(client) = named.and_then(|id| state.directory().client(id)) {
                response.extensions_mut().insert(JournalNote {
                    client: Some(client.client_id.clone()),
                    ..JournalNote::default()
                });
            }
            response
        }
    }
}

/// Keycloak's members, in Keycloak's order.
fn granted_response(granted: TokenGranted) -> Response {
    let body = json!({
        "access_token": granted.access_token,
        "expires_in": granted.expires_in,
        "refresh_expires_in": 0,
        "token_type": "Bearer",
        "not-before-policy": 0,
        "scope": granted.scope,
    });
    let mut response = (StatusCode::OK, Body::from(body.to_string())).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        "application/json".parse().expect("static"),
    );
    no_store(headers);
    response.extensions_mut().insert(JournalNote {
        client: Some(granted.client_id),
        lineage: Some(format!("client credentials -> {}", granted.jti)),
        ..JournalNote::default()
    });
    response
}

fn content_type(headers: &HeaderMap) -> String {
    let value = headers.get(header::CONTENT_TYPE);
    let text = value.and_then(|v| v.to_str().ok()).unwrap_or("");
    text.trim().to_ascii_lowercase()
}

fn is_form(headers: &HeaderMap) -> bool {
    content_type(headers).starts_with("application/x-www-form-urlencoded")
}

/// The form's parameters, and whether one was given twice.
fn form(body: &[u8]) -> (HashMap<String, String>, bool) {
    let mut params = HashMap::new();
    let mut duplicated = false;
    for (name, value) in url::form_urlencoded::parse(body) {
        duplicated |= params
            .insert(name.into_owned(), value.into_owned())
            .is_some();
    }
    (params, duplicated)
}

/// A JSON object whose members are strings (numbers and booleans as written); anything else
/// is a 400 `invalid_request`.
fn json_params(body: &[u8]) -> Result<HashMap<String, String>, OAuthError> {
    let malformed = || OAuthError::InvalidRequest("The body is not a JSON object.".into());
    let Ok(Value::Object(members)) = serde_json::from_slice::<Value>(body) else {
        return Err(malformed());
    };
    members
        .into_iter()
        .map(|(name, value)| match value {
            Value::String(text) => Ok((name, text)),
            Value::Number(n) => Ok((name, n.to_string())),
            Value::Bool(b) => Ok((name, b.to_string())),
            _ => Err(malformed()),
        })
        .collect()
}

/// `Authorization: Basic base64(id:secret)`, each part form-urlencoded (RFC 6749 section
/// 2.3.1). Another scheme, or none, leaves client authentication to the body.
fn basic_credentials(headers: &HeaderMap) -> BasicCredentials {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return BasicCredentials::Absent;
    };
    let text = value.to_str().unwrap_or("");
    let (scheme, encoded) = text.trim().split_once(' ').unwrap_or((text, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return BasicCredentials::Absent;
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some((id, secret)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        return BasicCredentials::Malformed;
    };
    let unencode = |part: &str| -> String {
        let spaced = part.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned()
    };
    BasicCredentials::Given {
        client_id: unencode(id),
        secret: unencode(secret),
    }
}
