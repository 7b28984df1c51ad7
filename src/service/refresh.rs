//! `/refresh` (`docs/protocol.md#refresh`): a new access token for a stored, live refresh token
//! that was issued to the calling key. Refresh tokens are not rotated, like upstream. Every
//! check, in upstream's order, is in [`RefreshService::refresh`].

use std::net::IpAddr;
use std::sync::Arc;

use super::guessing::Attempt;
use super::{Context, MISSING_REFRESH};
use crate::error::ProviderError;
use crate::model::{ApiKey, Permission};
use crate::secret::OpaqueToken;

/// Upstream passes its identity provider's error through; every refusal reads the same so a
/// caller cannot probe which check failed. The log says which one did.
pub const INVALID_GRANT: &str = "invalid_grant: Unknown or invalid refresh token.";
/// `last_used_at` is written at most this often per token, so `/refresh` is read-only in the
/// common case.
const TOUCH_INTERVAL_SECONDS: i64 = 60;

/// A new access token, and what the journal records about it.
pub struct Refreshed {
    pub jwt: String,
    pub user_uid: String,
    /// The refresh token's id (as the control plane lists it).
    pub token_id: i64,
}

/// `GET /refresh`.
pub struct RefreshService {
    ctx: Arc<Context>,
}

impl RefreshService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// Upstream's checks (in `check`), then the rate limit on guessing: a refusal spends
    /// one failure of the client address's and the key's budgets and becomes a 429 when they
    /// have none left. A refresh token cannot be guessed (256 random bits), so the budget is
    /// asked only once a request has failed: a refresh that succeeds is served even from a
    /// blocked address, and a blocked guesser learns nothing, since every guess fails
    /// (`docs/reliability.md#guessing`).
    pub async fn refresh(
        &self,
        key: Option<&ApiKey>,
        presented_key: bool,
        token: Option<&str>,
        peer: Option<IpAddr>,
    ) -> Result<Refreshed, ProviderError> {
        let refusal = match self.check(key, presented_key, token).await {
            Err(refusal @ (ProviderError::Rejected | ProviderError::BadRequest(_))) => refusal,
            served_or_failed => return served_or_failed,
        };
        let key = key.map(Into::into);
        self.ctx.refresh_guesses.failed(Attempt { peer, key })?;
        Err(refusal)
    }

    /// Upstream's order: the caller's API key must be known and hold `refresh` (else an empty
    /// 400), then `refresh` must be given (else `Missing refresh token`), then the token must be
    /// stored, live, not revoked, issued to this key and for a known user (else `invalid_grant`).
    async fn check(
        &self,
        key: Option<&ApiKey>,
        presented_key: bool,
        token: Option<&str>,
    ) -> Result<Refreshed, ProviderError> {
        let key = permitted_key(key, presented_key)?;
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ProviderError::BadRequest(MISSING_REFRESH.into()))?;
        self.new_access_token(key, token).await
    }

    async fn new_access_token(
        &self,
        key: &ApiKey,
        presented: &str,
    ) -> Result<Refreshed, ProviderError> {
        let ctx = &self.ctx;
        let now = ctx.now();
        let hash = OpaqueToken::presented(presented).hash();
        let refuse = |reason: &'static str| {
            tracing::info!(reason, key = %key.name, "refresh refused");
            crate::metrics::refused(reason);
            ProviderError::BadRequest(INVALID_GRANT.into())
        };
        let Some(record) = ctx.store.find_refresh_token(hash.as_bytes()).await? else {
            return Err(refuse("unknown_refresh_token"));
        };
        if record.revoked_at.is_some() {
            return Err(refuse("revoked_refresh_token"));
        }
        if record.expires_at.is_some_and(|exp| exp <= now) {
            return Err(refuse("expired_refresh_token"));
        }
        if record.api_key_hash.as_deref() != Some(key.hash.as_bytes()) {
            return Err(refuse("refresh_token_of_another_key"));
        }
        let Some(user) = ctx.directory().user(&record.user_uid) else {
            return Err(refuse("refresh_token_user_gone"));
        };
        if record
            .last_used_at
            .is_none_or(|t| (now - t).abs() >= TOUCH_INTERVAL_SECONDS)
        {
            ctx.store.touch_refresh_token(record.id, now).await?;
        }
        let jwt = ctx.tokens.access_token(&user, now)?;
        crate::metrics::refreshed();
        Ok(Refreshed {
            jwt,
            user_uid: user.uid.clone(),
            token_id: record.id,
        })
    }
}

/// The key check that comes first: the log says which way the key failed, the client only
/// sees upstream's empty 400.
fn permitted_key(key: Option<&ApiKey>, presented: bool) -> Result<&ApiKey, ProviderError> {
    let reason = match key {
        Some(key) if key.may(Permission::Refresh) => return Ok(key),
        Some(key) => format!("API key {:?} lacks the refresh permission", key.name),
        None if presented => "unknown API key".to_owned(),
        None => "no API key".to_owned(),
    };
    tracing::info!(reason, "refresh refused");
    crate::metrics::refused("refresh_api_key");
    Err(ProviderError::Rejected)
}
