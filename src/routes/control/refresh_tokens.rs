//! `GET /_emulator/refresh-tokens`, `DELETE /_emulator/refresh-tokens/{id}` and
//! `DELETE /_emulator/refresh-tokens?user=&api_key=`.

use axum::extract::{Path, RawQuery, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::error::{ControlError, ProviderError};
use crate::http::params::Params;
use crate::service::TokenSelection;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/refresh-tokens", get(list).delete(revoke_all))
        .route("/_emulator/refresh-tokens/{id}", delete(revoke_one))
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
    }
}

async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ControlError> {
    let params = params(query)?;
    let tokens = state.refresh_tokens.list(&selection(&params)).await?;
    Ok(Json(json!({ "refresh_tokens": tokens })))
}

async fn revoke_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ControlError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| ControlError::invalid("id", format!("{id:?} is not a refresh-token id")))?;
    Ok(Json(
        json!({ "revoked": state.refresh_tokens.revoke(id).await? }),
    ))
}

async fn revoke_all(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ControlError> {
    let params = params(query)?;
    let revoked = state.refresh_tokens.revoke_all(&selection(&params)).await?;
    Ok(Json(json!({ "revoked": revoked })))
}
