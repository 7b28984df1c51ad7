//! `GET /_emulator/`: the control plane as one page for people (`docs/protocol.md#dashboard`),
//! with its script and style as same-origin files. Behind the control plane's access rule like
//! every `/_emulator/` route; read-only itself, its buttons call the JSON endpoints.

mod render;
mod sessions;
mod tables;
mod view;

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::pages;

const SCRIPT: &str = include_str!("dashboard.js");
const STYLE: &str = include_str!("dashboard.css");

/// Script, style and `fetch` from this origin only; no form submits anywhere and no other page
/// may frame this one, so nothing external loads and the page works offline.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(page))
        .routes(routes!(script))
        .routes(routes!(style))
}

/// The dashboard: one HTML page for people.
#[utoipa::path(get, path = "/_emulator/", tag = "dashboard", operation_id = "dashboard",
    responses((status = 200, description = "The page", content_type = "text/html", body = String)))]
async fn page(State(state): State<AppState>) -> Result<Response, ControlError> {
    let view = view::build(&state).await?;
    let html = Html(render::page(&view).into_string()).into_response();
    Ok(pages::guarded(html, POLICY))
}

/// The dashboard's script (its buttons call the JSON endpoints).
#[utoipa::path(get, path = "/_emulator/dashboard.js", tag = "dashboard",
    operation_id = "dashboard_script",
    responses((status = 200, description = "The script", content_type = "text/javascript",
        body = String)))]
async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

/// The dashboard's style sheet.
#[utoipa::path(get, path = "/_emulator/dashboard.css", tag = "dashboard",
    operation_id = "dashboard_style",
    responses((status = 200, description = "The style sheet", content_type = "text/css",
        body = String)))]
async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}
