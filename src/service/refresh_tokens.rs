//! Refresh tokens seen from the control plane (`docs/protocol.md#control-plane`): metadata
//! (never the token or its hash) and revocation, one or all of a user or key. A revocation is
//! committed before it is answered, and `/refresh` reads the token's row on every call, so no
//! refresh that starts after the answer can succeed.

use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;

use super::Context;
use crate::error::ControlError;
use crate::secret::TokenHash;
use crate::store::{RefreshTokenRecord, TokenFilter};

/// What the control plane shows of one refresh token.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RefreshTokenInfo {
    pub id: i64,
    /// uid of the user it was issued for.
    pub user: String,
    /// Name of the API key it is bound to (`null` if that key is no longer configured).
    pub api_key: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// The OAuth2 client of a rotating chain (`docs/protocol.md#rotating-refresh-tokens`);
    /// `null` for a JWT-provider token.
    pub client: Option<String>,
    /// How often a chain rotated; 0 for a JWT-provider token.
    pub rotations: i64,
    /// Why the emulator revoked a chain itself: `reuse`, `code_replay`, `invalid_exchange`
    /// or `logout`; `null` otherwise.
    pub revoked_reason: Option<String>,
}

/// `?user=` (uid or nick) and `?api_key=` (the key as clients present it).
#[derive(Debug, Default)]
pub struct TokenSelection<'a> {
    pub user: Option<&'a str>,
    pub api_key: Option<&'a str>,
    /// `?client=`: an OAuth2 client id.
    pub client: Option<&'a str>,
}

pub struct RefreshTokenService {
    ctx: Arc<Context>,
}

impl RefreshTokenService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn list(
        &self,
        selection: &TokenSelection<'_>,
    ) -> Result<Vec<RefreshTokenInfo>, ControlError> {
        let filter = self.filter(selection)?;
        let records = self.ctx.store.list_refresh_tokens(&filter).await?;
        Ok(records.into_iter().map(|r| self.info(r)).collect())
    }

    /// Revokes token `id`; answers how many live tokens that revoked (0 if it already was).
    pub async fn revoke(&self, id: i64) -> Result<u64, ControlError> {
        let now = self.ctx.now();
        let revoked = self.ctx.store.revoke_refresh_token(id, now).await?;
        let revoked = revoked.ok_or_else(|| ControlError::NotFound {
            field: None,
            message: format!("no refresh token with id {id}"),
        })?;
        tracing::info!(id, revoked, "refresh token revoked");
        Ok(revoked)
    }

    /// Revokes every live token of a user and/or key; at least one of them must be given.
    pub async fn revoke_all(&self, selection: &TokenSelection<'_>) -> Result<u64, ControlError> {
        if selection.user.is_none() && selection.api_key.is_none() && selection.client.is_none() {
            return Err(ControlError::invalid(
                "user",
                "give user, api_key or client (or several) to say whose refresh tokens to revoke",
            ));
        }
        let filter = self.filter(selection)?;
        let revoked = self
            .ctx
            .store
            .revoke_refresh_tokens(&filter, self.ctx.now())
            .await?;
        tracing::info!(revoked, "refresh tokens revoked");
        Ok(revoked)
    }

    fn filter(&self, selection: &TokenSelection<'_>) -> Result<TokenFilter, ControlError> {
        let directory = self.ctx.directory();
        let user_uid = match selection.user {
            Some(wanted) => Some(directory.user(wanted).map(|u| u.uid.clone()).ok_or_else(
                || ControlError::NotFound {
                    field: Some("user"),
                    message: format!("no user with uid or nick {wanted:?}"),
                },
            )?),
            None => None,
        };
        let api_key_hash = match selection.api_key {
            Some(presented) => Some(directory.api_key(presented).map(|k| k.hash.0).ok_or_else(
                || ControlError::NotFound {
                    field: Some("api_key"),
                    message: "unknown API key".into(),
                },
            )?),
            None => None,
        };
        let client_id = match selection.client {
            Some(wanted) => Some(
                directory
                    .client(wanted)
                    .map(|c| c.client_id.clone())
                    .ok_or_else(|| ControlError::NotFound {
                        field: Some("client"),
                        message: format!("no OAuth2 client {wanted:?}"),
                    })?,
            ),
            None => None,
        };
        Ok(TokenFilter {
            user_uid,
            api_key_hash,
            client_id,
        })
    }

    fn info(&self, record: RefreshTokenRecord) -> RefreshTokenInfo {
        let key = record
            .api_key_hash
            .as_deref()
            .and_then(|h| <[u8; 32]>::try_from(h).ok())
            .and_then(|h| self.ctx.directory().api_key_by_hash(&TokenHash(h)));
        RefreshTokenInfo {
            id: record.id,
            user: record.user_uid,
            api_key: key.map(|k| k.name.clone()),
            created_at: record.created_at,
            last_used_at: record.last_used_at,
            expires_at: record.expires_at,
            revoked_at: record.revoked_at,
            client: record.client_id,
            rotations: record.rotations,
            revoked_reason: record.revoked_reason,
        }
    }
}
