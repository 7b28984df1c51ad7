//! The API-key layer, in front of the routes that take a key (`docs/protocol.md#provider-routes`):
//! reads the key from `apiKey` (query, wins when non-empty) or `X-Api-Key`, resolves it against
//! the directory and hands the result to the handler as the [`CallerKey`] extractor. What a
//! route then requires of the key is its use case's business (`/refresh` checks it first).

use std::sync::Arc;

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::error::{Failure, ProviderError};
use crate::http::params::Params;
use crate::model::ApiKey;
use crate::secret::TokenHash;
use crate::service::JournalNote;

/// The caller's API key: `presented` when a non-empty key was sent, `key` when it is known.
#[derive(Debug, Clone)]
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
    let caller = match CallerKey::read(&state, params.non_empty("apiKey"), request.headers()) {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    let (name, key_hash) = caller.journal_names();
    request.extensions_mut().insert(caller);
    request.extensions_mut().insert(params);
    let mut response = next.run(request).await;
    // The journal names the caller's key, whatever the handler answered; faults match on it.
    annotate(&mut response, |note| {
        note.api_key = name;
        note.key_hash = key_hash;
    });
    response
}

impl CallerKey {
    /// The key from `apiKey` (`from_query`, when not empty) or else `X-Api-Key`, resolved
    /// against the directory. A header given twice is refused as a parameter given twice is:
    /// two readers could otherwise disagree on which one counts
    /// (`docs/protocol.md#provider-routes`).
    pub fn read(
        state: &AppState,
        from_query: Option<&str>,
        headers: &HeaderMap,
    ) -> Result<Self, ProviderError> {
        if headers.get_all("x-api-key").iter().nth(1).is_some() {
            let twice = "Header \"X-Api-Key\" is given more than once.";
            return Err(ProviderError::BadRequest(twice.into()));
        }
        let from_header = || {
            let value = headers.get("x-api-key")?;
            // A header that is not text cannot be a configured key: keep it as presented-but-unknown.
            Some(value.to_str().unwrap_or("\u{fffd}").trim().to_owned()).filter(|v| !v.is_empty())
        };
        let presented = from_query.map(str::to_owned).or_else(from_header);
        let key = presented
            .as_deref()
            .and_then(|k| state.directory().api_key(k));
        Ok(Self { presented, key })
    }

    /// The key's name and hash for the journal and faults, when it is known.
    pub fn journal_names(&self) -> (Option<String>, Option<TokenHash>) {
        let key = self.key.as_deref();
        (key.map(|k| k.name.clone()), key.map(|k| k.hash))
    }
}

/// Edits the [`JournalNote`] of `response`, adding one when the handler left none.
pub fn annotate(response: &mut Response, edit: impl FnOnce(&mut JournalNote)) {
    let extensions = response.extensions_mut();
    match extensions.get_mut::<JournalNote>() {
        Some(note) => edit(note),
        None => {
            let mut note = JournalNote::default();
            edit(&mut note);
            extensions.insert(note);
        }
    }
}

/// Fails loudly (500, logged) on a route without the layer: a route that forgot it must not
/// quietly behave as if no key was sent.
impl<S: Send + Sync> FromRequestParts<S> for CallerKey {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.remove::<CallerKey>().ok_or_else(|| {
            let route = parts
                .extensions
                .get::<MatchedPath>()
                .map(MatchedPath::as_str);
            Failure::Internal(anyhow::anyhow!(
                "route {route:?} takes a CallerKey but has no API-key layer"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::CallerKey;

    #[tokio::test]
    async fn a_route_that_takes_a_caller_key_without_the_layer_fails_loudly_with_a_500() {
        let router = Router::new().route("/keyed", get(|_: CallerKey| async { "served" }));
        let request = Request::get("/keyed?apiKey=anything")
            .body(Body::empty())
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
