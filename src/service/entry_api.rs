//! The Entry API's `GET /user` (`docs/protocol.md#entry-api-check`): token checks first, then the
//! API key, each refusal with upstream's exact detail text.

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Context;
use crate::error::EntryApiError;
use crate::model::ApiKey;
use crate::model::Permission;
use crate::token::Refusal;

/// The 200 body, members in upstream's order.
#[derive(Debug, Serialize)]
pub struct EntryApiUser {
    pub uuid: String,
    pub email: String,
    pub username: String,
    pub id: String,
    pub nick: String,
}

/// `GET /user`.
pub struct EntryApiService {
    ctx: Arc<Context>,
}

impl EntryApiService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// `authorization` is the raw header (None when absent); `presented`/`key` the API key.
    pub fn user(
        &self,
        authorization: Option<&str>,
        presented: Option<&str>,
        key: Option<&ApiKey>,
    ) -> Result<EntryApiUser, EntryApiError> {
        let unauthorized = |detail: &str| EntryApiError::Unauthorized(detail.to_owned());
        let header = authorization.ok_or_else(|| unauthorized("Authorization header missing."))?;
        let token = header.strip_prefix("Bearer ").ok_or_else(|| {
            unauthorized(
                r#"Authorization header must start with "Bearer ", followed by your token."#,
            )
        })?;
        let claims = self.ctx.tokens.check(token, self.ctx.now()).map_err(|refusal| {
            tracing::info!(?refusal, "entry api token refused");
            crate::metrics::refused(refusal.as_reason());
            EntryApiError::Unauthorized(match refusal {
                Refusal::NotAJwt => format!("Token \"{token}\" is not a valid JWT."),
                Refusal::BadSignature => {
                    "Token signature verification failed. The token is likely forged or manipulated.".into()
                }
                Refusal::Expired => "Token expired (or not yet usable).".into(),
                Refusal::BadIssuer => "Token is not issued by a valid issuer.".into(),
                Refusal::MissingClaims => "Token is missing one of its required claims.".into(),
            })
        })?;
        let presented = presented.ok_or_else(|| {
            unauthorized("The given token requires an API key, but no x-api-key header or apiKey URL parameter found.")
        })?;
        let key = key.ok_or_else(|| {
            EntryApiError::Unauthorized(format!(
                "Could not authenticate with API key \"{presented}\"."
            ))
        })?;
        if !key.may(Permission::EntryApi) {
            return Err(EntryApiError::Forbidden);
        }
        Ok(user_from_claims(&claims))
    }
}

/// v1 tokens name the user `uid`/`nick`; keycloak tokens `https://publiq.be/uitidv1id`
/// (else `sub`) and `nickname`.
fn user_from_claims(claims: &Map<String, Value>) -> EntryApiUser {
    let first = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| {
                claims
                    .get(*n)
                    .and_then(Value::as_str)
                    .filter(|v| !v.is_empty())
            })
            .unwrap_or("")
            .to_owned()
    };
    let id = first(&["uid", "https://publiq.be/uitidv1id", "sub"]);
    let nick = first(&["nick", "nickname", "preferred_username"]);
    EntryApiUser {
        uuid: id.clone(),
        email: first(&["email"]),
        username: nick.clone(),
        id,
        nick,
    }
}
