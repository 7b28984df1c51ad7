//! The authorization-code grant (`docs/protocol.md#authorization-codes`): a code is single use,
//! bound to its client, redirect URI and PKCE challenge. Any presentation uses it up; a second
//! one revokes the chain the first one made (RFC 6749 section 4.1.2).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Context;
use super::oauth_request::{TokenGranted, TokenRequest};
use crate::error::OAuthError;
use crate::model::OAuthClient;
use crate::secret::{OpaqueToken, TokenHash};
use crate::store::{ChainRecord, CodeRecord, Redemption};
use crate::token::AccessOptions;

const CODE_NOT_VALID: &str = "Code not valid";

impl Context {
    pub(crate) async fn code_grant(
        &self,
        client: &OAuthClient,
        request: &TokenRequest,
    ) -> Result<TokenGranted, OAuthError> {
        let code = request
            .form
            .get("code")
            .ok_or_else(|| OAuthError::InvalidRequest("Missing parameter: code".into()))?;
        let now = self.now();
        let refresh = OpaqueToken::generate();
        let max_age = self.settings.oauth.refresh_max_age.as_secs() as i64;
        let code_hash = OpaqueToken::presented(code).hash();
        let redemption = (self.store)
            .redeem_code(code_hash.as_bytes(), now, &refresh.hash().0, max_age)
            .await?;
        let (code, chain_id) = match redemption {
            Redemption::First { code, chain_id } => (code, chain_id),
            Redemption::Replayed { code } => {
                tracing::warn!(client = %code.client_id, "authorization code used twice; its chain is revoked");
                crate::metrics::refused("code_replay");
                return Err(OAuthError::InvalidGrant(CODE_NOT_VALID.into()));
            }
            Redemption::Unknown => {
                crate::metrics::refused("unknown_code");
                return Err(OAuthError::InvalidGrant(CODE_NOT_VALID.into()));
            }
        };
        let user = self.directory().user_by_uid(&code.user_uid);
        let checked = bound_to(&code, client, request)
            .and_then(|()| user.ok_or_else(|| OAuthError::InvalidGrant("User not found".into())));
        let user = match checked {
            Ok(user) => user,
            Err(refused) => {
                // The code is used up; the chain it made was never handed out.
                self.store
                    .revoke_chain(chain_id, "invalid_exchange", now)
                    .await?;
                crate::metrics::refused("invalid_code_exchange");
                return Err(refused);
            }
        };
        let chain = ChainRecord {
            id: chain_id,
            token_hash: refresh.hash().0.to_vec(),
            user_uid: code.user_uid.clone(),
            client_id: code.client_id.clone(),
            sid: code.sid.clone(),
            scope: code.scope.clone(),
            nonce: code.nonce.clone(),
            auth_time: code.auth_time,
            expires_at: code.auth_time + max_age,
            rotations: 0,
            revoked_at: None,
        };
        let options = AccessOptions::default();
        let granted = self.chain_tokens(&chain, &user, client, &refresh, now, &options)?;
        tracing::info!(client = %client.client_id, chain = chain_id, "authorization code exchanged");
        Ok(granted)
    }
}

/// The code's bindings: same client, same redirect URI, the PKCE verifier of its challenge.
fn bound_to(
    code: &CodeRecord,
    client: &OAuthClient,
    request: &TokenRequest,
) -> Result<(), OAuthError> {
    let refuse = |text: &str| Err(OAuthError::InvalidGrant(text.into()));
    if code.client_id != client.client_id {
        tracing::warn!(client = %client.client_id, "a code of another client was presented");
        return refuse(CODE_NOT_VALID);
    }
    if request.form.get("redirect_uri") != Some(code.redirect_uri.as_str()) {
        return refuse("Incorrect redirect_uri");
    }
    let verifier = request.form.get("code_verifier");
    match (&code.code_challenge, verifier) {
        (None, None) => Ok(()),
        // RFC 9700 section 2.1.1: a verifier without a challenge is a downgrade attempt.
        (None, Some(_)) => refuse("PKCE verification failed: no code_challenge was sent"),
        (Some(_), None) => refuse("PKCE code verifier not specified"),
        (Some(challenge), Some(verifier)) => {
            let well_formed = (43..=128).contains(&verifier.len())
                && verifier
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
            if !well_formed {
                return refuse("PKCE verification failed: Invalid code verifier");
            }
            let computed = URL_SAFE_NO_PAD.encode(TokenHash::of(verifier.as_bytes()).0);
            let matches = aws_lc_rs::constant_time::verify_slices_are_equal(
                computed.as_bytes(),
                challenge.as_bytes(),
            )
            .is_ok();
            if matches {
                Ok(())
            } else {
                refuse("PKCE verification failed: Code mismatch")
            }
        }
    }
}
