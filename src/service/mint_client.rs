//! `POST /_emulator/tokens` with `client`: a client access token without a request to the
//! token endpoint, or with `user` too, a user login's tokens without a login
//! (`docs/protocol.md#oauth2-tokens`).

use std::sync::Arc;

use super::mint::{MintRequest, MintService, MintedTokens, ttl};
use super::user_login::new_sid;
use crate::error::{ControlError, Failure, OAuthError};
use crate::model::OAuthClient;
use crate::secret::OpaqueToken;
use crate::store::{ChainRecord, NewChain};
use crate::token::AccessOptions;

impl MintService {
    /// A client access token, as the client-credentials grant would issue it.
    pub(super) fn mint_for_client(
        &self,
        client_id: &str,
        request: &MintRequest,
    ) -> Result<MintedTokens, ControlError> {
        let ctx = self.context();
        let (client, scope, options) = self.client_options(client_id, request)?;
        let now = ctx.now();
        let issued = ctx
            .tokens
            .client_access_token(&client, &scope, now, &options)?;
        tracing::info!(client = %client.client_id, "client access token minted");
        Ok(MintedTokens {
            jwt: issued.jwt,
            refresh: None,
            id_token: None,
        })
    }

    /// A user access token of `client` for `user` and a new rotating chain, as if the user had
    /// just logged in (`docs/protocol.md#rotating-refresh-tokens`).
    pub(super) async fn mint_for_user_and_client(
        &self,
        wanted: &str,
        client_id: &str,
        request: &MintRequest,
    ) -> Result<MintedTokens, ControlError> {
        let ctx = self.context();
        let directory = ctx.directory();
        let user = directory.user(wanted).ok_or_else(|| {
            ControlError::invalid("user", format!("no user with uid or nick {wanted:?}"))
        })?;
        let (client, scope, options) = self.client_options(client_id, request)?;
        let now = ctx.now();
        let refresh = OpaqueToken::generate();
        let chain = NewChain {
            token_hash: refresh.hash().0,
            user_uid: user.uid.clone(),
            client_id: client.client_id.clone(),
            sid: new_sid(),
            scope,
            nonce: None,
            auth_time: now,
            created_at: now,
            expires_at: now + ctx.settings.oauth.refresh_max_age.as_secs() as i64,
        };
        let id = ctx.store.insert_chain(&chain).await?;
        let chain = ChainRecord {
            id,
            token_hash: chain.token_hash.to_vec(),
            user_uid: chain.user_uid,
            client_id: chain.client_id,
            sid: chain.sid,
            scope: chain.scope,
            nonce: None,
            auth_time: now,
            expires_at: chain.expires_at,
            rotations: 0,
            revoked_at: None,
        };
        let granted = ctx
            .chain_tokens(&chain, &user, &client, &refresh, now, &options)
            .map_err(|e| match e {
                OAuthError::Failure(failure) => ControlError::Failure(failure),
                other => ControlError::Failure(Failure::Internal(anyhow::anyhow!(other))),
            })?;
        tracing::info!(client = %client.client_id, chain = id, "user access token minted");
        Ok(MintedTokens {
            jwt: granted.access_token,
            refresh: granted.refresh.map(|(token, _)| token),
            id_token: granted.id_token,
        })
    }

    /// The client, granted scope and token options a client mint asks for.
    fn client_options(
        &self,
        client_id: &str,
        request: &MintRequest,
    ) -> Result<(Arc<OAuthClient>, String, AccessOptions), ControlError> {
        let ctx = self.context();
        let client = ctx.directory().client(client_id).ok_or_else(|| {
            ControlError::invalid("client", format!("no client with id {client_id:?}"))
        })?;
        if request.api_key.is_some() {
            return Err(ControlError::invalid("api_key", "not with client"));
        }
        let scope = super::granted_scope(request.scope.as_deref()).map_err(|_| {
            ControlError::invalid("scope", format!("offered: {}", super::SCOPES.join(" ")))
        })?;
        let now = ctx.now();
        let options = AccessOptions {
            ttl: request
                .ttl
                .as_deref()
                .map(|text| ttl(text, now))
                .transpose()?,
            claims: request.claims.clone(),
            expired: request.expired,
        };
        Ok((client, scope, options))
    }
}
