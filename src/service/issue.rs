//! Issuing an access token and, for keys with the `refresh` permission, a refresh token.

use crate::error::Failure;
use crate::model::Permission;
use crate::model::{ApiKey, User};
use crate::secret::OpaqueToken;
use crate::store::NewRefreshToken;

use super::Context;

/// Tokens handed to a client once. No `Debug`: they must never reach a log.
pub struct IssuedTokens {
    pub jwt: String,
    pub refresh: Option<OpaqueToken>,
}

impl Context {
    /// A refresh token for `user` bound to `key`, if the key may receive one
    /// (`docs/protocol.md#login`: otherwise the parameter is silently absent).
    pub(crate) fn new_refresh_token(
        &self,
        user: &User,
        key: Option<&ApiKey>,
        now: i64,
    ) -> Option<(OpaqueToken, NewRefreshToken)> {
        let key = key.filter(|k| k.may(Permission::Refresh))?;
        let token = OpaqueToken::generate();
        crate::metrics::token_issued("refresh");
        let record = NewRefreshToken {
            token_hash: token.hash().0,
            user_uid: user.uid.clone(),
            api_key_hash: key.hash.0,
            created_at: now,
            expires_at: self
                .settings
                .token
                .refresh_ttl
                .map(|ttl| now + ttl.as_secs() as i64),
        };
        Some((token, record))
    }

    /// Issues and stores tokens at once (SSO, headless login).
    pub(crate) async fn issue_tokens(
        &self,
        user: &User,
        key: Option<&ApiKey>,
    ) -> Result<IssuedTokens, Failure> {
        let now = self.now();
        let refresh = match self.new_refresh_token(user, key, now) {
            Some((token, record)) => {
                self.store.insert_refresh_token(&record).await?;
                Some(token)
            }
            None => None,
        };
        let jwt = self.tokens.access_token(user, now)?;
        Ok(IssuedTokens { jwt, refresh })
    }
}
