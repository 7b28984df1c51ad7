//! The OAuth2 realm's token endpoint (`docs/protocol.md#token-endpoint`): Keycloak's checks in
//! Keycloak's order (grant type, client authentication, the client's grants, the grant itself)
//! and the client-credentials grant.

use std::sync::Arc;

use super::Context;
use super::guessing::Attempt;
use super::oauth_request::{BasicCredentials, TokenGranted, TokenRequest};
use super::oauth_scopes::granted_scope;
use crate::error::OAuthError;
use crate::model::{Grant, OAuthClient};
use crate::token::AccessOptions;

pub struct TokenEndpointService {
    pub(super) ctx: Arc<Context>,
}

impl TokenEndpointService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn exchange(&self, request: &TokenRequest) -> Result<TokenGranted, OAuthError> {
        let grant_type = request.form.get("grant_type").ok_or_else(|| {
            OAuthError::InvalidRequest("Missing form parameter: grant_type".into())
        })?;
        let grant = Grant::from_wire(grant_type)
            .filter(|g| *g != Grant::Password)
            .ok_or(OAuthError::UnsupportedGrantType)?;
        let client = self.authenticate(request)?;
        if request.form.duplicated {
            return Err(OAuthError::InvalidRequest("duplicated parameter".into()));
        }
        allowed(&client, grant)?;
        match grant {
            Grant::AuthorizationCode => return self.ctx.code_grant(&client, request).await,
            Grant::RefreshToken => return self.ctx.refresh_grant(&client, request).await,
            Grant::ClientCredentials | Grant::Password => {}
        }
        let scope = granted_scope(request.form.get("scope"))?;
        let now = self.ctx.now();
        let issued =
            self.ctx
                .tokens
                .client_access_token(&client, &scope, now, &AccessOptions::default())?;
        tracing::info!(client = %client.client_id, "client access token issued");
        Ok(TokenGranted {
            access_token: issued.jwt,
            expires_in: issued.expires_in,
            refresh: None,
            id_token: None,
            session_state: None,
            scope,
            client_id: client.client_id.clone(),
            user: None,
            lineage: format!("client credentials -> {}", issued.jti),
        })
    }

    /// Client authentication by HTTP Basic or by `client_id` + `client_secret` in the body.
    /// A secret can be guessed, so the failure budget is asked first, as for passwords
    /// (`docs/reliability.md#guessing`); every failure reads the same to the client.
    pub(super) fn authenticate(
        &self,
        request: &TokenRequest,
    ) -> Result<Arc<OAuthClient>, OAuthError> {
        let (client_id, secret) = match &request.basic {
            BasicCredentials::Given { client_id, secret } => {
                let body_id = request.form.get("client_id");
                if body_id.is_some_and(|id| id != client_id) {
                    return Err(self.refuse(request, None, "client ids of header and body differ"));
                }
                (Some(client_id.as_str()), Some(secret.as_str()))
            }
            BasicCredentials::Malformed => {
                return Err(self.refuse(request, None, "malformed Basic credentials"));
            }
            BasicCredentials::Absent => (
                request.form.get("client_id"),
                request.form.get("client_secret"),
            ),
        };
        let Some(client) = client_id.and_then(|id| self.ctx.directory().client(id)) else {
            return Err(self.refuse(request, None, "unknown client"));
        };
        let attempt = Attempt {
            peer: request.peer,
            key: Some(client.as_ref().into()),
        };
        self.ctx.client_guesses.check(attempt)?;
        if client.is_public() || secret.is_some_and(|s| client.secret_matches(s)) {
            return Ok(client);
        }
        Err(self.refuse(request, Some(&client), "wrong or missing client secret"))
    }

    /// Logs and counts a failed client authentication and spends a failure; the client sees
    /// `invalid_client`, or 429 once its budget is spent.
    fn refuse(
        &self,
        request: &TokenRequest,
        client: Option<&OAuthClient>,
        reason: &'static str,
    ) -> OAuthError {
        tracing::info!(
            reason,
            client = client.map(|c| c.client_id.as_str()),
            "client authentication failed"
        );
        crate::metrics::refused("invalid_client");
        let attempt = Attempt {
            peer: request.peer,
            key: client.map(Into::into),
        };
        match self.ctx.client_guesses.failed(attempt) {
            Ok(()) => OAuthError::InvalidClient,
            Err(blocked) => blocked.into(),
        }
    }
}

/// Keycloak's refusal of a grant the client is not enabled for.
fn allowed(client: &OAuthClient, grant: Grant) -> Result<(), OAuthError> {
    if grant == Grant::ClientCredentials && client.is_public() {
        return Err(OAuthError::UnauthorizedClient(
            "Public client not allowed to retrieve service account",
        ));
    }
    if client.may_use(grant) {
        return Ok(());
    }
    Err(OAuthError::UnauthorizedClient(match grant {
        Grant::ClientCredentials => "Client not enabled to retrieve service account",
        Grant::AuthorizationCode => "Client not allowed to exchange code",
        Grant::RefreshToken => "Client not allowed to use refresh tokens",
        Grant::Password => "Client not allowed for direct access grants",
    }))
}
