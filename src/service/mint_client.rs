//! `POST /_emulator/tokens` with `client`: a client access token without a request to the
//! token endpoint (`docs/protocol.md#oauth2-tokens`).

use super::mint::{MintRequest, MintService, MintedTokens, ttl};
use crate::error::ControlError;
use crate::token::AccessOptions;

impl MintService {
    /// A client access token, as the client-credentials grant would issue it.
    pub(super) fn mint_for_client(
        &self,
        client_id: &str,
        request: &MintRequest,
    ) -> Result<MintedTokens, ControlError> {
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
        let issued = ctx
            .tokens
            .client_access_token(&client, &scope, now, &options)?;
        tracing::info!(client = %client.client_id, "client access token minted");
        Ok(MintedTokens {
            jwt: issued.jwt,
            refresh: None,
        })
    }
}
