//! The API-key layer: reads the key from `apiKey` (query, wins when non-empty) or `X-Api-Key`,
//! resolves it against the configured keys and hands the result to the handler as
//! [`CallerKey`]. [`require_refresh`] then refuses keys without the `refresh` permission with
//! upstream's 400 and empty body (PROTOCOL.md 4.4).

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::params::Params;
use crate::config::Permission;
use crate::directory::ApiKey;
use crate::error::Error;
use crate::routes::AppState;

/// The caller's API key: `presented` when a non-empty key was sent, `key` when it is known.
#[derive(Debug, Clone, Default)]
pub struct CallerKey {
    pub presented: Option<String>,
    pub key: Option<Arc<ApiKey>>,
}

pub async fn resolve_api_key(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let params = match Params::parse(request.uri().query().unwrap_or("")) {
        Ok(params) => params,
        Err(error) => return error.into_response(),
    };
    let from_header = || {
        let value = request.headers().get("x-api-key")?;
        // A header that is not text cannot be a configured key: keep it as presented-but-unknown.
        Some(value.to_str().unwrap_or("\u{fffd}").trim().to_owned()).filter(|v| !v.is_empty())
    };
    let presented = params
        .non_empty("apiKey")
        .map(str::to_owned)
        .or_else(from_header);
    let key = presented
        .as_deref()
        .and_then(|k| state.directory.api_key(k));
    request
        .extensions_mut()
        .insert(CallerKey { presented, key });
    request.extensions_mut().insert(params);
    next.run(request).await
}

pub async fn require_refresh(request: Request, next: Next) -> Response {
    let refusal = match request.extensions().get::<CallerKey>() {
        Some(CallerKey { key: Some(key), .. }) if key.may(Permission::Refresh) => None,
        Some(CallerKey { key: Some(key), .. }) => Some(format!(
            "API key {:?} lacks the refresh permission",
            key.name
        )),
        Some(CallerKey {
            presented: Some(_), ..
        }) => Some("unknown API key".to_owned()),
        _ => Some("no API key".to_owned()),
    };
    match refusal {
        None => next.run(request).await,
        Some(reason) => refuse(&reason),
    }
}

fn refuse(reason: &str) -> Response {
    tracing::info!(reason, "refresh refused");
    crate::metrics::refused("refresh_api_key");
    Error::Rejected.into_response()
}

impl<S: Send + Sync> FromRequestParts<S> for CallerKey {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.remove::<CallerKey>().unwrap_or_default())
    }
}
