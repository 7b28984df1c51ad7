//! The refresh-token grant with rotation (`docs/protocol.md#rotating-refresh-tokens`): every
//! refresh moves the chain to a new token and kills the used one; of concurrent refreshes of one
//! token exactly one wins (a compare-and-swap in the store); a used token presented again
//! outside `[oauth] refresh_reuse_grace` revokes the whole chain (reuse detection, RFC 9700
//! section 4.14.2); the chain ends `refresh_max_age` after the login.

use super::Context;
use super::chain_seal;
use super::oauth_request::{TokenGranted, TokenRequest};
use crate::error::OAuthError;
use crate::model::OAuthClient;
use crate::secret::OpaqueToken;
use crate::store::{ChainRecord, RetiredToken};
use crate::token::AccessOptions;

const INVALID: &str = "Invalid refresh token";
const OTHER_CLIENT: &str = "Invalid refresh token. Token client and authorized client don't match";
const REUSED: &str = "Maximum allowed refresh token reuse exceeded";

impl Context {
    pub(crate) async fn refresh_grant(
        &self,
        client: &OAuthClient,
        request: &TokenRequest,
    ) -> Result<TokenGranted, OAuthError> {
        let presented = request
            .form
            .get("refresh_token")
            .ok_or_else(|| OAuthError::InvalidRequest("Missing parameter: refresh_token".into()))?;
        let presented = OpaqueToken::presented(presented);
        let hash = presented.hash();
        let now = self.now();
        if let Some(chain) = self.store.find_chain(hash.as_bytes()).await? {
            self.usable(&chain, client, request, now)?;
            let next = OpaqueToken::generate();
            let sealed = chain_seal::seal(&presented, &next);
            let rotated = (self.store)
                .rotate_chain(chain.id, hash.as_bytes(), &next.hash().0, &sealed, now)
                .await?;
            if rotated {
                let chain = ChainRecord {
                    rotations: chain.rotations + 1,
                    token_hash: next.hash().0.to_vec(),
                    ..chain
                };
                return self.refreshed(&chain, client, &next, now).await;
            }
            // Another refresh of this token won the race: from here on it is a reuse.
        }
        let Some(retired) = self.store.find_retired_token(hash.as_bytes()).await? else {
            crate::metrics::refused("unknown_refresh_token");
            return Err(OAuthError::InvalidGrant(INVALID.into()));
        };
        self.usable(&retired.chain, client, request, now)?;
        if let Some(successor) = self.within_grace(&retired, &presented, now) {
            tracing::info!(
                chain = retired.chain.id,
                "rotated refresh token reused within the grace window"
            );
            return self
                .refreshed(&retired.chain, client, &successor, now)
                .await;
        }
        self.store
            .revoke_chain(retired.chain.id, "reuse", now)
            .await?;
        tracing::warn!(
            chain = retired.chain.id,
            client = %client.client_id,
            user = %retired.chain.user_uid,
            "rotated refresh token reused: the whole chain is revoked"
        );
        crate::metrics::refused("refresh_token_reuse");
        Err(OAuthError::InvalidGrant(REUSED.into()))
    }

    /// The checks that leave the chain as it is: same client, live, not past its end, and a
    /// requested scope within the chain's.
    fn usable(
        &self,
        chain: &ChainRecord,
        client: &OAuthClient,
        request: &TokenRequest,
        now: i64,
    ) -> Result<(), OAuthError> {
        let refuse = |reason: &'static str, text: &str| {
            tracing::info!(reason, chain = chain.id, "refresh refused");
            crate::metrics::refused(reason);
            Err(OAuthError::InvalidGrant(text.into()))
        };
        if chain.client_id != client.client_id {
            return refuse("refresh_token_of_another_client", OTHER_CLIENT);
        }
        if chain.revoked_at.is_some() {
            return refuse("revoked_refresh_token", "Session not active");
        }
        if chain.expires_at <= now {
            return refuse("expired_refresh_token", "Token is not active");
        }
        let granted: Vec<&str> = chain.scope.split(' ').collect();
        if let Some(asked) = request.form.get("scope")
            && asked.split_whitespace().any(|s| !granted.contains(&s))
        {
            return Err(OAuthError::InvalidScope(format!("Invalid scopes: {asked}")));
        }
        Ok(())
    }

    /// The chain's current token, if `presented` was retired less than the grace window ago
    /// and what it was rotated to is still current.
    fn within_grace(
        &self,
        retired: &RetiredToken,
        presented: &OpaqueToken,
        now: i64,
    ) -> Option<OpaqueToken> {
        let grace = self.settings.oauth.refresh_reuse_grace.as_secs() as i64;
        if now - retired.retired_at >= grace {
            return None;
        }
        let successor = chain_seal::open(presented, &retired.successor_sealed)?;
        (successor.hash().0.as_slice() == retired.chain.token_hash.as_slice()).then_some(successor)
    }

    async fn refreshed(
        &self,
        chain: &ChainRecord,
        client: &OAuthClient,
        refresh: &OpaqueToken,
        now: i64,
    ) -> Result<TokenGranted, OAuthError> {
        let Some(user) = self.directory().user_by_uid(&chain.user_uid) else {
            self.store
                .revoke_chain(chain.id, "user_deleted", now)
                .await?;
            crate::metrics::refused("refresh_token_user_gone");
            return Err(OAuthError::InvalidGrant(INVALID.into()));
        };
        let options = AccessOptions::default();
        self.chain_tokens(chain, &user, client, refresh, now, &options)
    }
}
