//! `/refresh` (PROTOCOL.md 4.4): a new access token for a stored, live refresh token that was
//! issued to the calling key. Refresh tokens are not rotated, like upstream.

use crate::directory::ApiKey;
use crate::emulator::Emulator;
use crate::error::{Error, Result};
use crate::token::OpaqueToken;

/// Upstream passes its identity provider's error through; every refusal reads the same so a
/// caller cannot probe which check failed. The log says which one did.
pub const INVALID_GRANT: &str = "invalid_grant: Unknown or invalid refresh token.";
/// `last_used_at` is written at most this often per token, so `/refresh` is read-only in the
/// common case.
const TOUCH_INTERVAL_SECONDS: i64 = 60;

impl Emulator {
    pub async fn refresh(&self, key: &ApiKey, presented: &str) -> Result<String> {
        let now = self.clock.now();
        let hash = OpaqueToken::presented(presented).hash();
        let refuse = |reason: &'static str| {
            tracing::info!(reason, key = %key.name, "refresh refused");
            crate::metrics::refused(reason);
            Error::BadRequest(INVALID_GRANT.into())
        };
        let Some(record) = self.store.find_refresh_token(hash.as_bytes()).await? else {
            return Err(refuse("unknown_refresh_token"));
        };
        if record.revoked_at.is_some() {
            return Err(refuse("revoked_refresh_token"));
        }
        if record.expires_at.is_some_and(|exp| exp <= now) {
            return Err(refuse("expired_refresh_token"));
        }
        if record.api_key_hash != key.hash.as_bytes() {
            return Err(refuse("refresh_token_of_another_key"));
        }
        let Some(user) = self.directory.user(&record.user_uid) else {
            return Err(refuse("refresh_token_user_gone"));
        };
        if record
            .last_used_at
            .is_none_or(|t| (now - t).abs() >= TOUCH_INTERVAL_SECONDS)
        {
            self.store.touch_refresh_token(record.id, now).await?;
        }
        let jwt = self.tokens.access_token(&user, now)?;
        crate::metrics::refreshed();
        Ok(jwt)
    }
}
