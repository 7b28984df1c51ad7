//! `GET /connect` and the legacy `GET /culturefeed/oauth/connect` (`docs/protocol.md#connect`).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use axum_extra::extract::CookieJar;

use crate::app::AppState;
use crate::error::ProviderError;
use crate::fault::FaultRoute;
use crate::http::middleware::api_key::{CallerKey, resolve_api_key};
use crate::http::middleware::faults::apply_faults;
use crate::http::params::Params;
use crate::http::{self, cookies};
use crate::service::{ConnectOutcome, ConnectRequest, JournalNote};

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/connect", get(connect))
        .route("/culturefeed/oauth/connect", get(connect))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            resolve_api_key,
        ))
        // Outside the key layer, so a fault sees which key the caller used.
        .route_layer(axum::middleware::from_fn_with_state(
            (state, FaultRoute::Connect),
            apply_faults,
        ))
}

/// A 302 (never the cacheable 301 upstream uses) to the login form, or straight to the
/// destination when the browser is already logged in or login is headless.
async fn connect(
    State(state): State<AppState>,
    params: Params,
    caller: CallerKey,
    jar: CookieJar,
) -> Result<Response, ProviderError> {
    let request = ConnectRequest {
        destination: params.get("destination"),
        key: caller.key,
        lang: params.get("lang"),
        browser: jar.get(cookies::BROWSER).map(|c| c.value()),
        session: jar.get(cookies::SESSION).map(|c| c.value()),
    };
    Ok(match state.connect.connect(request).await? {
        ConnectOutcome::Redirect { url, user } => {
            // The journal and faults see whose tokens these are; the key layer adds the key.
            let note = JournalNote {
                user: Some(user),
                ..JournalNote::default()
            };
            (Extension(note), http::found(&url)).into_response()
        }
        ConnectOutcome::ShowLogin {
            flow_id,
            new_browser,
        } => {
            let jar = cookies::with_new_browser(jar, new_browser, state.settings());
            (jar, http::found(&format!("/login?flow={flow_id}"))).into_response()
        }
    })
}
