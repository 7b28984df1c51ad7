//! Strict query and form parsing: a parameter given twice is a 400
//! (`docs/protocol.md#provider-routes`), and so is percent-encoding that does not decode to UTF-8,
//! so no two readers can disagree on a value.

use axum::extract::{FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use percent_encoding::percent_decode_str;

use crate::error::ProviderError;

/// Decoded `name=value` pairs, each name at most once.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` text (a query string or a form body).
    pub fn parse(raw: &str) -> Result<Self, ProviderError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let (name, value) = (decode(name)?, decode(value)?);
            if pairs.iter().any(|(n, _)| *n == name) {
                return Err(ProviderError::BadRequest(format!(
                    "Parameter \"{}\" is given more than once.",
                    printable(&name)
                )));
            }
            pairs.push((name, value));
        }
        Ok(Self(pairs))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name` unless it is missing or empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

fn decode(text: &str) -> Result<String, ProviderError> {
    percent_decode_str(&text.replace('+', " "))
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| {
            ProviderError::BadRequest("A parameter is not valid percent-encoded UTF-8.".into())
        })
}

/// A parameter name made safe to echo in a plain-text answer.
fn printable(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ProviderError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Parsed already by the API-key layer: take it rather than parse or copy it again.
        if let Some(params) = parts.extensions.remove::<Params>() {
            return Ok(params);
        }
        Params::parse(parts.uri.query().unwrap_or(""))
    }
}

/// The route template a request matched (never the raw path or query), for logs and metrics.
pub fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "<unmatched>".to_owned())
}
