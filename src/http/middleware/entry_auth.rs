//! The Entry API's authentication (`docs/protocol.md#entry-api-check`), a layer in front of
//! `/user` (behind the API-key layer, whose [`CallerKey`] it reads) and of the gateway
//! (`gateway_admission.rs`). An accepted request reaches the route with its [`EntryCaller`];
//! a refused one gets the problem+json here and never reaches the route.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_key::{CallerKey, annotate};
use crate::app::AppState;
use crate::error::{EntryApiError, Failure};
use crate::service::EntryCaller;

/// For routes behind the API-key layer (`/user`).
pub async fn authenticate_entry_api(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(caller) = request.extensions().get::<CallerKey>().cloned() else {
        let missing = anyhow::anyhow!("the Entry API layer runs without the API-key layer");
        return Failure::Internal(missing).into_response();
    };
    admit(&state, request, next, &caller).await
}

/// Authenticates `request` with `key`; the route runs only for an accepted caller. The journal
/// learns the user and the token's id (never the token).
pub(super) async fn admit(
    state: &AppState,
    mut request: Request,
    next: Next,
    key: &CallerKey,
) -> Response {
    let authenticated = authorization(request.headers()).and_then(|authorization| {
        state
            .entry_api
            .authenticate(authorization, key.presented.as_deref(), key.key.as_deref())
    });
    let caller = match authenticated {
        Ok(caller) => caller,
        Err(refusal) => return refusal.into_response(),
    };
    let user = caller.user_id().map(str::to_owned);
    let client = caller.client_id().map(str::to_owned);
    let lineage = format!("access token {}", caller.token_id());
    request.extensions_mut().insert(caller);
    let mut response = next.run(request).await;
    annotate(&mut response, |note| {
        note.user = note.user.take().or(user);
        note.client = note.client.take().or(client);
        note.lineage = note.lineage.take().or(Some(lineage));
    });
    response
}

/// The raw `Authorization` header: two are refused rather than one picked (another reader
/// could pick the other), and one that is not text is as good as a malformed one.
fn authorization(headers: &HeaderMap) -> Result<Option<&str>, EntryApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let first = values.next();
    if values.next().is_some() {
        let twice = "Authorization header is given more than once.";
        return Err(EntryApiError::Unauthorized(twice.into()));
    }
    Ok(first.map(|v| v.to_str().unwrap_or("")))
}

/// Fails loudly (500, logged) on a route without the layer: such a route must not behave as
/// if a caller had been checked.
impl<S: Send + Sync> FromRequestParts<S> for EntryCaller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.remove::<EntryCaller>().ok_or_else(|| {
            Failure::Internal(anyhow::anyhow!(
                "a route takes an EntryCaller but has no Entry API layer"
            ))
        })
    }
}
