//! The token endpoint's request as it arrives: a form or a JSON object, and HTTP Basic client
//! credentials (`docs/protocol.md#token-endpoint`).

use std::collections::HashMap;
use std::net::IpAddr;

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::error::OAuthError;
use crate::service::{BasicCredentials, FormParams, TokenRequest};

pub fn content_type(headers: &HeaderMap) -> String {
    let value = headers.get(header::CONTENT_TYPE);
    let text = value.and_then(|v| v.to_str().ok()).unwrap_or("");
    text.trim().to_ascii_lowercase()
}

pub fn is_form(headers: &HeaderMap) -> bool {
    content_type(headers).starts_with("application/x-www-form-urlencoded")
}

/// The realm's endpoints take an `application/x-www-form-urlencoded` body only. Anything else
/// reads as a form without parameters, which is what Keycloak answers a JSON body with.
pub fn realm_form(headers: &HeaderMap, body: &[u8]) -> FormParams {
    if is_form(headers) {
        FormParams::parse(body)
    } else {
        FormParams::default()
    }
}

/// A request of a client that authenticates: `form`, its Basic credentials, its address.
pub fn token_request(form: FormParams, headers: &HeaderMap, peer: Option<IpAddr>) -> TokenRequest {
    TokenRequest {
        form,
        basic: basic_credentials(headers),
        peer,
    }
}

/// A JSON object whose members are strings (numbers and booleans as written); anything else
/// is a 400 `invalid_request`.
pub fn json_params(body: &[u8]) -> Result<HashMap<String, String>, OAuthError> {
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
pub fn basic_credentials(headers: &HeaderMap) -> BasicCredentials {
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
