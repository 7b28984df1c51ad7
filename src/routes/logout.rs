//! `GET /logout` (+ legacy `/culturefeed/oauth/logout`) and `GET /logout-confirm`
//! (`docs/protocol.md#logout`).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;

use crate::app::AppState;
use crate::error::ProviderError;
use crate::http::middleware::api_key::{CallerKey, resolve_api_key};
use crate::http::params::Params;
use crate::http::{self, cookies};

pub fn router(state: AppState) -> Router<AppState> {
    let with_key = Router::new()
        .route("/logout", get(logout))
        .route("/culturefeed/oauth/logout", get(logout))
        .route_layer(axum::middleware::from_fn_with_state(state, resolve_api_key));
    with_key.route("/logout-confirm", get(confirm))
}

/// Ends the SSO session and parks the destination server-side until `/logout-confirm`.
async fn logout(
    State(state): State<AppState>,
    params: Params,
    caller: CallerKey,
    jar: CookieJar,
) -> Result<Response, ProviderError> {
    let session = jar.get(cookies::SESSION).map(|c| c.value().to_owned());
    let started = state
        .logout
        .start(params.get("destination"), caller.key, session.as_deref())
        .await?;
    let flow = started.flow.as_str().to_owned();
    let jar = jar
        .add(cookies::removal(cookies::SESSION))
        .add(cookies::build(cookies::LOGOUT, flow, state.settings()));
    Ok((jar, http::found("/logout-confirm")).into_response())
}

/// 302 to the stored destination; 400 with an empty body when there is none.
async fn confirm(State(state): State<AppState>, jar: CookieJar) -> Result<Response, ProviderError> {
    let flow = jar.get(cookies::LOGOUT).map(|c| c.value().to_owned());
    let destination = state.logout.confirm(flow.as_deref()).await?;
    Ok((
        jar.add(cookies::removal(cookies::LOGOUT)),
        http::found(&destination),
    )
        .into_response())
}
