//! Which realm tokens are still good (`docs/protocol.md#userinfo`,
//! `docs/protocol.md#introspection`): a user access token is live while its signature, time and
//! issuer pass and its client still holds a live chain of its session, so a revoked chain
//! (reuse, code replay, logout, the control plane) ends its access tokens at userinfo and
//! introspection too. Resource servers that only verify the signature, like upstream's, keep
//! accepting them until `exp`.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::Context;
use crate::error::Failure;
use crate::model::User;
use crate::token::verify::TokenKind;

/// A live access token of the realm.
pub struct LiveToken {
    pub claims: Map<String, Value>,
    /// The user a user access token speaks for.
    pub user: Option<Arc<User>>,
}

impl Context {
    /// `token` if it is a live access token of the realm; else why not, in Keycloak's words.
    /// Only a database failure is an `Err`.
    pub(crate) async fn live_realm_token(
        &self,
        token: &str,
    ) -> Result<Result<LiveToken, &'static str>, Failure> {
        const FAILED: &str = "Token verification failed";
        let now = self.now();
        let Ok(claims) = self.tokens.check(token, now) else {
            return Ok(Err(FAILED));
        };
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        if text("iss") != Some(self.tokens.oauth_issuer()) {
            return Ok(Err(FAILED));
        }
        Ok(match TokenKind::of(&claims) {
            TokenKind::ClientAccess => Ok(LiveToken { claims, user: None }),
            TokenKind::UserAccess => {
                let uid = text("https://publiq.be/uitidv1id");
                let Some(user) = uid.and_then(|uid| self.directory().user_by_uid(uid)) else {
                    return Ok(Err("User not found"));
                };
                let (Some(sid), Some(client)) = (text("sid"), text("azp")) else {
                    return Ok(Err(FAILED));
                };
                if !self.store.session_chain_live(sid, client, now).await? {
                    return Ok(Err("Session not active"));
                }
                Ok(LiveToken {
                    claims,
                    user: Some(user),
                })
            }
            TokenKind::V1 | TokenKind::IdToken => Err(FAILED),
        })
    }
}
