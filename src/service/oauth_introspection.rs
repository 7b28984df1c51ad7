//! Token introspection (RFC 7662) and revocation (RFC 7009) for authenticated clients
//! (`docs/protocol.md#introspection`, `docs/protocol.md#revocation`). A client sees and revokes
//! only its own tokens.

use serde_json::{Map, Value, json};

use super::oauth_request::TokenRequest;
use super::oauth_token::TokenEndpointService;
use crate::error::OAuthError;
use crate::secret::OpaqueToken;

impl TokenEndpointService {
    /// `{"active": false}`, or the token's claims with `active`, `client_id`, `token_type`.
    pub async fn introspect(&self, request: &TokenRequest) -> Result<Value, OAuthError> {
        let ctx = &self.ctx;
        let client = self.authenticate(request)?;
        let token = token_param(request)?;
        let inactive = json!({"active": false});
        if let Ok(live) = ctx.live_realm_token(token).await? {
            let own = live.claims.get("azp").and_then(Value::as_str) == Some(&client.client_id);
            if !own {
                return Ok(inactive);
            }
            let mut answer = live.claims;
            answer.insert("client_id".into(), client.client_id.clone().into());
            answer.insert("token_type".into(), "Bearer".into());
            answer.insert("active".into(), true.into());
            return Ok(Value::Object(answer));
        }
        let hash = OpaqueToken::presented(token).hash();
        let now = ctx.now();
        let chain = ctx.store.find_chain(hash.as_bytes()).await?;
        let Some(chain) = chain.filter(|c| {
            c.client_id == client.client_id && c.revoked_at.is_none() && c.expires_at > now
        }) else {
            return Ok(inactive);
        };
        let mut answer = Map::new();
        answer.insert("active".into(), true.into());
        answer.insert("token_type".into(), "Refresh".into());
        answer.insert("client_id".into(), chain.client_id.into());
        answer.insert("sub".into(), chain.user_uid.into());
        answer.insert("sid".into(), chain.sid.into());
        answer.insert("scope".into(), chain.scope.into());
        answer.insert("exp".into(), chain.expires_at.into());
        Ok(Value::Object(answer))
    }

    /// Revokes the chain of a refresh token (current or retired) of this client; an unknown
    /// token, or an access token (self-contained), changes nothing. Answers 200 either way.
    pub async fn revoke(&self, request: &TokenRequest) -> Result<(), OAuthError> {
        let ctx = &self.ctx;
        let client = self.authenticate(request)?;
        let token = token_param(request)?;
        let hash = OpaqueToken::presented(token).hash();
        let chain = match ctx.store.find_chain(hash.as_bytes()).await? {
            Some(chain) => Some(chain),
            None => (ctx.store.find_retired_token(hash.as_bytes()).await?).map(|r| r.chain),
        };
        let Some(chain) = chain else {
            return Ok(());
        };
        if chain.client_id != client.client_id {
            return Err(OAuthError::OtherClientsToken);
        }
        ctx.store
            .revoke_chain(chain.id, "revoked_by_client", ctx.now())
            .await?;
        tracing::info!(chain = chain.id, client = %client.client_id, "refresh-token chain revoked by its client");
        Ok(())
    }
}

/// The one `token` parameter: missing, or any parameter given twice (RFC 6749 section 3.2, as
/// at the token endpoint), is `invalid_request`.
fn token_param(request: &TokenRequest) -> Result<&str, OAuthError> {
    if request.form.duplicated {
        return Err(OAuthError::InvalidRequest("duplicated parameter".into()));
    }
    request
        .form
        .get("token")
        .ok_or_else(|| OAuthError::InvalidRequest("Missing parameter: token".into()))
}
