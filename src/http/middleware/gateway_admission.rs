//! Which requests the Entry API gateway passes on (`docs/protocol.md#entry-api-gateway`), a
//! layer in front of it: paths in the emulator's own namespaces stay a plain 404; CORS
//! preflights and the public reads pass without a token, as at UiTdatabank; everything else is
//! authenticated like `/user` (`entry_auth.rs`), with the key from `apiKey` or `X-Api-Key`.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_key::{CallerKey, annotate};
use super::entry_auth::admit;
use crate::app::AppState;
use crate::config::path_under;
use crate::error::ProviderError;
use crate::http::params::Params;

/// Namespaces that belong to the emulator (control plane, health, the OAuth2 realm, key
/// publication, the provider's legacy paths): an unknown path in them is never passed on.
const OWN_NAMESPACES: [&str; 6] = [
    "/_emulator",
    "/health",
    "/realms",
    "/.well-known",
    "/culturefeed",
    "/oauth",
];

pub async fn admit_to_gateway(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if OWN_NAMESPACES.iter().any(|own| path_under(path, own)) {
        return ProviderError::NotFound.into_response();
    }
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    let public = read && state.settings().entry_api.is_public_read(path);
    if public || is_cors_preflight(&request) {
        return next.run(request).await;
    }
    let query = request.uri().query().unwrap_or("");
    let caller = Params::one_of(query, "apiKey")
        .and_then(|from_query| CallerKey::read(&state, from_query.as_deref(), request.headers()));
    let caller = match caller {
        Ok(caller) => caller,
        Err(refusal) => return refusal.into_response(),
    };
    let mut response = admit(&state, request, next, &caller).await;
    let (name, key_hash) = caller.journal_names();
    annotate(&mut response, |note| {
        note.api_key = name;
        note.key_hash = key_hash;
    });
    response
}

/// A browser's CORS preflight carries no credentials; UiTdatabank lets it through.
fn is_cors_preflight(request: &Request) -> bool {
    request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}
