//! `GET|POST .../openid-connect/logout` (`docs/protocol.md#realm-logout`): RP-initiated logout.
//! A POST with `confirm` answers the confirmation page's form.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use maud::html;

use crate::app::AppState;
use crate::error::AuthorizeError;
use crate::http::error::no_store;
use crate::http::{cookies, pages};
use crate::service::{FormParams, RealmLogoutInput, RealmLogoutOutcome};

use super::LOGOUT_PATH;

pub async fn logout_get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, AuthorizeError> {
    logout(&state, query.unwrap_or_default().as_bytes(), jar).await
}

pub async fn logout_post(
    State(state): State<AppState>,
    jar: CookieJar,
    body: Bytes,
) -> Result<Response, AuthorizeError> {
    logout(&state, &body, jar).await
}

async fn logout(state: &AppState, raw: &[u8], jar: CookieJar) -> Result<Response, AuthorizeError> {
    let params = FormParams::parse(raw);
    let get = |name: &str| params.get(name);
    let session = jar.get(cookies::SESSION).map(|c| c.value().to_owned());
    if let Some(csrf) = get("confirm") {
        state.realm_logout.confirm(csrf, session.as_deref()).await?;
        return Ok(logged_out(jar));
    }
    let input = RealmLogoutInput {
        id_token_hint: get("id_token_hint"),
        client_id: get("client_id"),
        post_logout_redirect_uri: get("post_logout_redirect_uri"),
        state: get("state"),
        session: session.as_deref(),
    };
    Ok(match state.realm_logout.logout(input).await? {
        RealmLogoutOutcome::Redirect(url) => {
            let jar = jar.add(cookies::removal(cookies::SESSION));
            let mut response = (jar, crate::http::found(&url)).into_response();
            no_store(response.headers_mut());
            response
        }
        RealmLogoutOutcome::LoggedOut => logged_out(jar),
        RealmLogoutOutcome::Confirm { csrf, unregistered } => {
            let body = html! {
                h1 { "Logging out" }
                @if unregistered {
                    p.error { "The post_logout_redirect_uri is not registered for this client; \
                               you will not be sent there." }
                }
                p { "Do you want to log out of UiTiD?" }
                form method="post" action=(LOGOUT_PATH) {
                    input type="hidden" name="confirm" value=(csrf);
                    button type="submit" { "Log out" }
                }
            };
            page(StatusCode::OK, "Logging out", body)
        }
    })
}

fn logged_out(jar: CookieJar) -> Response {
    let body = html! {
        h1 { "You are logged out" }
        p { "Your UiTiD session has ended." }
    };
    let jar = jar.add(cookies::removal(cookies::SESSION));
    (jar, page(StatusCode::OK, "Logged out", body)).into_response()
}

fn page(status: StatusCode, title: &str, body: maud::Markup) -> Response {
    let mut response = pages::page(status, "en", title, body, None);
    no_store(response.headers_mut());
    response
}
