//! `GET /_emulator/ca.pem` (`docs/tls.md`): the local CA a test machine trusts when the server
//! runs with `server.tls = "self-signed"`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::error::ControlErrorBody;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ca_pem))
}

/// The CA certificate that issued the server's certificate (PEM).
///
/// Only with `server.tls = "self-signed"`: trust it, and every hostname in
/// `server.tls_hostnames` is served with a certificate the client accepts. Never its key.
#[utoipa::path(get, path = "/_emulator/ca.pem", tag = "tls", operation_id = "ca_pem",
    responses(
        (status = 200, description = "The CA certificate", content_type = "application/x-pem-file",
            body = String),
        (status = 404, description = "No TLS, or a certificate from files: no CA of the emulator's",
            body = ControlErrorBody),
    ))]
async fn ca_pem(State(state): State<AppState>) -> Result<impl IntoResponse, ControlError> {
    let pem = state.tls.ca_pem()?.to_owned();
    Ok(([(header::CONTENT_TYPE, "application/x-pem-file")], pem))
}
