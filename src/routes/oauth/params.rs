//! The token endpoint's request as it arrives: a form or a JSON object, and HTTP Basic client
//! credentials (`docs/protocol.md#token-endpoint`).

use std::collections::HashMap;

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::error::OAuthError;
use crate::service::BasicCredentials;

pub fn content_type(headers: &HeaderMap) -> String {
    let value = headers.get(header::CONTENT_TYPE);
    let text = value.and_then(|v| v.to_str().ok()).unwrap_or("");
    text.trim().to_ascii_lowercase()
}

pub fn is_form(headers: &HeaderMap) -> bool {
    content_type(headers).starts_with("application/x-www-form-urlencoded")
}

/// The form's parameters, and whether one was given twice.
pub fn form(body: &[u8]) -> (HashMap<String, String>, bool) {
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
