//! `GET /oob` (`docs/protocol.md#oob`): upstream answers 500 here; the emulator shows the tokens
//! with copy buttons, the decoded claims and the expiry. Clients must not depend on this page.

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use maud::{Markup, html};

use crate::app::AppState;
use crate::error::ProviderError;
use crate::http::pages;
use crate::http::params::Params;

const COPY_SCRIPT: &str = "document.querySelectorAll('button[data-copy]').forEach(function(b){\
b.addEventListener('click',function(){var t=document.getElementById(b.dataset.copy);\
navigator.clipboard.writeText(t.value).then(function(){b.textContent='Copied';});});});";

pub fn router() -> Router<AppState> {
    Router::new().route("/oob", get(oob))
}

async fn oob(params: Params) -> Result<Response, ProviderError> {
    let jwt = params.get("jwt").unwrap_or("");
    let refresh = params.get("refresh");
    let claims = decode_claims(jwt);
    let expires = claims
        .as_ref()
        .and_then(|c| c.get("exp"))
        .and_then(serde_json::Value::as_i64);
    let body = html! {
        h1 { "Tokens from uitid-emulator" }
        p { "The login finished with the out-of-band destination. Copy the tokens below." }
        (token_box("jwt", "Access token (jwt)", jwt))
        @if let Some(refresh) = refresh { (token_box("refresh", "Refresh token (refresh)", refresh)) }
        @if let Some(exp) = expires { p { "The access token expires at " strong { (pages::utc_time(exp)) } "." } }
        h2 { "Claims" }
        @match &claims {
            Some(claims) => pre { (serde_json::to_string_pretty(claims).unwrap_or_default()) },
            None => p.error { "The jwt parameter is not a readable JWT." },
        }
    };
    Ok(pages::page(
        StatusCode::OK,
        "en",
        "Tokens",
        body,
        Some(COPY_SCRIPT),
    ))
}

fn token_box(id: &str, label: &str, value: &str) -> Markup {
    html! {
        label for=(id) { (label) }
        textarea id=(id) readonly { (value) }
        button type="button" data-copy=(id) { "Copy" }
    }
}

/// The payload of a JWT, for display only: nothing is verified here.
fn decode_claims(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}
