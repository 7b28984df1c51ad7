//! `POST /_emulator/tokens`: mint tokens without a login.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::error::ControlErrorBody;
use crate::http::json_body;
use crate::service::{MintRequest, MintedTokens};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mint))
}

/// Mint an access token (and a refresh token for a key with `refresh`) without a login.
#[utoipa::path(post, path = "/_emulator/tokens", tag = "tokens", operation_id = "mint_tokens",
    request_body = MintRequest,
    responses(
        (status = 200, description = "The tokens", body = MintedTokens),
        (status = 400, description = "Unknown user or API key, or a ttl that is not a positive \
            duration or would expire after 9999", body = ControlErrorBody),
    ))]
async fn mint(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<MintedTokens>, ControlError> {
    let request: MintRequest = json_body(&body)?;
    Ok(Json(state.mint.mint(&request).await?))
}
