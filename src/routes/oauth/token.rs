//! `POST /realms/uitid/protocol/openid-connect/token` (form) and its Auth0-compatible alias
//! `POST /oauth/token` (form or JSON; `audience` ignored): parse, call the token endpoint's use
//! case, answer Keycloak's JSON (`docs/protocol.md#token-endpoint`).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::params::{content_type, json_params, realm_form, token_request};
use crate::app::AppState;
use crate::http::error::no_store;
use crate::http::peer::PeerAddress;
use crate::service::{BasicCredentials, FormParams, JournalNote, TokenGranted, TokenRequest};

/// The realm's endpoint: a form only (`params::realm_form`).
pub async fn realm_token(
    State(state): State<AppState>,
    PeerAddress(peer): PeerAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = token_request(realm_form(&headers, &body), &headers, peer);
    answer(&state, request).await
}

/// The Auth0-compatible alias: a form or a JSON object of strings.
pub async fn auth0_token(
    State(state): State<AppState>,
    PeerAddress(peer): PeerAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = if content_type(&headers).starts_with("application/json") {
        match json_params(&body) {
            Ok(params) => FormParams {
                params,
                duplicated: false,
            },
            Err(refused) => return refused.into_response(),
        }
    } else {
        FormParams::parse(&body)
    };
    answer(&state, token_request(form, &headers, peer)).await
}

async fn answer(state: &AppState, request: TokenRequest) -> Response {
    match state.oauth_token.exchange(&request).await {
        Ok(granted) => granted_response(granted),
        Err(refused) => {
            let mut response = refused.into_response();
            // A refusal names the client too, when the request named a known one: the
            // journal and client-matched faults see it.
            let named = match &request.basic {
                BasicCredentials::Given { client_id, .. } => Some(client_id.as_str()),
                _ => request.form.get("client_id"),
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
    let mut body = serde_json::Map::new();
    body.insert("access_token".into(), granted.access_token.into());
    body.insert("expires_in".into(), granted.expires_in.into());
    let (refresh_token, refresh_expires_in) = match granted.refresh {
        Some((token, seconds)) => (Some(token), seconds),
        None => (None, 0),
    };
    body.insert("refresh_expires_in".into(), refresh_expires_in.into());
    if let Some(token) = refresh_token {
        body.insert("refresh_token".into(), token.into());
    }
    body.insert("token_type".into(), "Bearer".into());
    if let Some(id_token) = granted.id_token {
        body.insert("id_token".into(), id_token.into());
    }
    body.insert("not-before-policy".into(), 0.into());
    if let Some(sid) = granted.session_state {
        body.insert("session_state".into(), sid.into());
    }
    body.insert("scope".into(), granted.scope.into());
    let body = serde_json::Value::Object(body).to_string();
    let mut response = (StatusCode::OK, Body::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        "application/json".parse().expect("static"),
    );
    no_store(headers);
    response.extensions_mut().insert(JournalNote {
        client: Some(granted.client_id),
        user: granted.user,
        lineage: Some(granted.lineage),
        ..JournalNote::default()
    });
    response
}
