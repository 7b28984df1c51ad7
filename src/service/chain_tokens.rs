//! The tokens of a user login's chain (`docs/protocol.md#oauth2-tokens`): a user access token,
//! an id_token with `openid`, and the chain's current refresh token when the client may refresh.

use super::Context;
use super::oauth_request::TokenGranted;
use crate::error::OAuthError;
use crate::model::{Grant, OAuthClient, User};
use crate::secret::OpaqueToken;
use crate::store::ChainRecord;
use crate::token::{AccessOptions, LoginFacts};

impl Context {
    /// Signs the tokens of `chain`, whose current refresh token is `refresh`, at `now`.
    pub(crate) fn chain_tokens(
        &self,
        chain: &ChainRecord,
        user: &User,
        client: &OAuthClient,
        refresh: &OpaqueToken,
        now: i64,
        options: &AccessOptions,
    ) -> Result<TokenGranted, OAuthError> {
        let login = LoginFacts {
            sid: &chain.sid,
            auth_time: chain.auth_time,
            scope: &chain.scope,
            nonce: chain.nonce.as_deref(),
        };
        let access = (self.tokens).user_access_token(user, client, &login, now, options)?;
        let id_token = if chain.scope.split(' ').any(|s| s == "openid") {
            let id = (self.tokens).realm_id_token(user, client, &login, &access.jwt, now)?;
            Some(id)
        } else {
            None
        };
        let refresh = client.may_use(Grant::RefreshToken).then(|| {
            crate::metrics::token_issued("rotating_refresh");
            (refresh.as_str().to_owned(), chain.expires_at - now)
        });
        Ok(TokenGranted {
            access_token: access.jwt,
            expires_in: access.expires_in,
            refresh,
            id_token,
            session_state: Some(chain.sid.clone()),
            scope: chain.scope.clone(),
            client_id: client.client_id.clone(),
            user: Some(user.uid.clone()),
            lineage: format!("chain {} #{} -> {}", chain.id, chain.rotations, access.jti),
        })
    }
}
