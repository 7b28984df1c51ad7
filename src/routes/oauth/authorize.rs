//! `GET|POST /realms/uitid/protocol/openid-connect/auth` (`docs/protocol.md#authorization-endpoint`):
//! a 302 back to the client with a code (or an error), or to the login form.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use crate::app::AppState;
use crate::error::AuthorizeError;
use crate::http::error::no_store;
use crate::http::{self, cookies};
use crate::service::{AuthorizeInput, AuthorizeOutcome, FormParams, JournalNote};

pub async fn authorize_get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, AuthorizeError> {
    let params = FormParams::parse(query.unwrap_or_default().as_bytes());
    authorize(&state, params, jar).await
}

/// OIDC Core 3.1.2.1: the same request as a form.
pub async fn authorize_post(
    State(state): State<AppState>,
    jar: CookieJar,
    body: Bytes,
) -> Result<Response, AuthorizeError> {
    authorize(&state, FormParams::parse(&body), jar).await
}

async fn authorize(
    state: &AppState,
    params: FormParams,
    jar: CookieJar,
) -> Result<Response, AuthorizeError> {
    let client_id = params.get("client_id").map(str::to_owned);
    let input = AuthorizeInput {
        params,
        browser: jar.get(cookies::BROWSER).map(|c| c.value()),
        session: jar.get(cookies::SESSION).map(|c| c.value()),
    };
    let outcome = match state.authorize.authorize(input).await {
        Ok(outcome) => outcome,
        // An error sent back to a known client names it, so the journal and client-matched
        // faults see it, as at the token endpoint.
        Err(refused @ AuthorizeError::Redirect(_)) => {
            let mut response = refused.into_response();
            if let Some(client) = client_id.and_then(|id| state.directory().client(&id)) {
                response.extensions_mut().insert(JournalNote {
                    client: Some(client.client_id.clone()),
                    ..JournalNote::default()
                });
            }
            return Ok(response);
        }
        Err(refused) => return Err(refused),
    };
    let mut response = match outcome {
        AuthorizeOutcome::Redirect { url, user, client } => {
            let note = JournalNote {
                user: Some(user),
                client: Some(client),
                ..JournalNote::default()
            };
            (Extension(note), http::found(&url)).into_response()
        }
        AuthorizeOutcome::ShowLogin {
            flow_id,
            new_browser,
            client,
        } => {
            let jar = cookies::with_new_browser(jar, new_browser, state.settings());
            let note = JournalNote {
                client: Some(client),
                ..JournalNote::default()
            };
            let target = format!("/login?flow={flow_id}");
            (Extension(note), jar, http::found(&target)).into_response()
        }
    };
    no_store(response.headers_mut());
    Ok(response)
}
