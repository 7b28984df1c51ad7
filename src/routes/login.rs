//! `/login`: the identity provider's form (`docs/protocol.md#login`). GET shows it for a flow; POST
//! checks CSRF, then cancels (400, empty) or logs in (new session cookie, 303 with tokens).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use axum_extra::extract::CookieJar;

use crate::app::AppState;
use crate::error::{Failure, ProviderError};
use crate::fault::FaultRoute;
use crate::http::middleware::faults::apply_faults;
use crate::http::params::Params;
use crate::http::peer::PeerAddress;
use crate::http::{self, cookies};
use crate::service::{JournalNote, LoginAction, LoginSubmission, SubmitOutcome};

mod page;

pub fn router(state: AppState) -> Router<AppState> {
    // Faults apply to the submission only: it is what completes a login.
    let submit = post(submit).route_layer(axum::middleware::from_fn_with_state(
        (state, FaultRoute::Login),
        apply_faults,
    ));
    Router::new().route("/login", get(show).merge(submit))
}

async fn show(
    State(state): State<AppState>,
    params: Params,
    jar: CookieJar,
) -> Result<Response, ProviderError> {
    let flow = params.non_empty("flow").ok_or_else(|| {
        ProviderError::BadRequest("Missing flow parameter; start from /connect.".into())
    })?;
    let browser = jar.get(cookies::BROWSER).map(|c| c.value());
    let login = state.login.page(flow, browser).await?;
    Ok(page::render(StatusCode::OK, &login))
}

async fn submit(
    State(state): State<AppState>,
    PeerAddress(peer): PeerAddress,
    jar: CookieJar,
    body: Bytes,
) -> Result<Response, ProviderError> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ProviderError::BadRequest("The form is not UTF-8.".into()))?;
    let form = Params::parse(text)?;
    let flow_id = form.get("flow").unwrap_or("").to_owned();
    let csrf = form.get("csrf").unwrap_or("").to_owned();
    let username = form.get("username").unwrap_or("").to_owned();
    let password = form.get("password").unwrap_or("").to_owned();
    let action = if form.get("action") == Some("cancel") {
        LoginAction::Cancel
    } else {
        LoginAction::Login
    };
    let browser = jar.get(cookies::BROWSER).map(|c| c.value().to_owned());
    let old_session = jar.get(cookies::SESSION).map(|c| c.value().to_owned());
    // The login commits a transaction; run it in its own task so a client that hangs up
    // cannot drop the future half-way and leave a pooled connection mid-transaction.
    let login = state.login.clone();
    let outcome = tokio::spawn(async move {
        login
            .submit(LoginSubmission {
                flow_id: &flow_id,
                csrf: &csrf,
                action,
                username: &username,
                password: &password,
                browser: browser.as_deref(),
                old_session: old_session.as_deref(),
                peer,
            })
            .await
    })
    .await
    .map_err(|e| Failure::Internal(e.into()))??;
    Ok(match outcome {
        SubmitOutcome::WrongCredentials(login) => page::render(StatusCode::OK, &login),
        SubmitOutcome::Declined { redirect } => http::see_other(&redirect),
        SubmitOutcome::LoggedIn {
            redirect,
            session,
            user,
            key,
            client,
        } => {
            let value = session.as_str().to_owned();
            let jar = jar.add(cookies::build(cookies::SESSION, value, state.settings()));
            // No key layer here: the flow knows which key started the login.
            let note = JournalNote {
                user: Some(user),
                api_key: key.as_ref().map(|k| k.name.clone()),
                key_hash: key.map(|k| k.hash),
                client,
                ..JournalNote::default()
            };
            (Extension(note), jar, http::see_other(&redirect)).into_response()
        }
    })
}
