//! `GET /_emulator/refresh-tokens`, `DELETE /_emulator/refresh-tokens/{id}` and
//! `DELETE /_emulator/refresh-tokens?user=&api_key=&client=`: JWT-provider refresh tokens and
//! OAuth2 refresh-token chains alike.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::{ControlError, ProviderError};
use crate::http::error::ControlErrorBody;
use crate::http::params::Params;
use crate::service::{RefreshTokenInfo, TokenSelection};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, revoke_all))
        .routes(routes!(revoke_one))
}

/// The query, parsed as strictly as the provider's, with errors in the control plane's JSON.
pub(super) fn params(query: Option<String>) -> Result<Params, ControlError> {
    Params::parse(query.as_deref().unwrap_or("")).map_err(|e| match e {
        ProviderError::BadRequest(message) => ControlError::Malformed(message),
        other => ControlError::Malformed(other.to_string()),
    })
}

fn selection(params: &Params) -> TokenSelection<'_> {
    TokenSelection {
        user: params.non_empty("user"),
        api_key: params.non_empty("api_key"),
        client: params.non_empty("client"),
    }
}

/// Refresh-token metadata, newest first; never the token or its hash.
#[derive(Serialize, ToSchema)]
struct RefreshTokenList {
    refresh_tokens: Vec<RefreshTokenInfo>,
}

/// How many live tokens a revocation revoked.
#[derive(Serialize, ToSchema)]
struct Revoked {
    revoked: u64,
}

/// List refresh tokens and chains, optionally of one user, key and/or client.
#[utoipa::path(get, path = "/_emulator/refresh-tokens", tag = "refresh-tokens",
    operation_id = "list_refresh_tokens",
    params(
        ("user" = Option<String>, Query, description = "uid or nick of a user"),
        ("api_key" = Option<String>, Query, description = "an API key as clients present it"),
        ("client" = Option<String>, Query, description = "an OAuth2 client id (its chains)"),
    ),
    responses(
        (status = 200, description = "Matching refresh tokens", body = RefreshTokenList),
        (status = 400, description = "A query parameter given twice", body = ControlErrorBody),
        (status = 404, description = "Unknown user, key or client (field user, api_key or \
            client)", body = ControlErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<RefreshTokenList>, ControlError> {
    let params = params(query)?;
    let refresh_tokens = state.refresh_tokens.list(&selection(&params)).await?;
    Ok(Json(RefreshTokenList { refresh_tokens }))
}

/// Revoke one refresh token.
#[utoipa::path(delete, path = "/_emulator/refresh-tokens/{id}", tag = "refresh-tokens",
    operation_id = "revoke_refresh_token",
    params(("id" = i64, Path, description = "the id the listing shows")),
    responses(
        (status = 200, description = "1, or 0 when it was revoked already", body = Revoked),
        (status = 400, description = "The id is not a number", body = ControlErrorBody),
        (status = 404, description = "No refresh token with that id", body = ControlErrorBody),
    ))]
async fn revoke_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Revoked>, ControlError> {
    let id = super::numeric_id(&id, "refresh-token")?;
    let revoked = state.refresh_tokens.revoke(id).await?;
    Ok(Json(Revoked { revoked }))
}

/// Revoke every live refresh token and chain of a user, key and/or client.
#[utoipa::path(delete, path = "/_emulator/refresh-tokens", tag = "refresh-tokens",
    operation_id = "revoke_refresh_tokens",
    params(
        ("user" = Option<String>, Query, description = "uid or nick of a user"),
        ("api_key" = Option<String>, Query, description = "an API key as clients present it"),
        ("client" = Option<String>, Query, description = "an OAuth2 client id (its chains)"),
    ),
    responses(
        (status = 200, description = "How many were revoked", body = Revoked),
        (status = 400, description = "None of user, api_key or client given (field user), or a \
            query parameter given twice", body = ControlErrorBody),
        (status = 404, description = "Unknown user, key or client (field user, api_key or \
            client)", body = ControlErrorBody),
    ))]
async fn revoke_all(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Revoked>, ControlError> {
    let params = params(query)?;
    let revoked = state.refresh_tokens.revoke_all(&selection(&params)).await?;
    Ok(Json(Revoked { revoked }))
}
