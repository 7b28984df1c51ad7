//! The Entry API's authentication (`docs/protocol.md#entry-api-check`) and its `GET /user`: the
//! token checks, then what the token's kind requires (an API key, the right audience, the
//! `entry` API), each refusal with upstream's exact detail text. `/user` and the gateway both
//! authenticate here before doing their own work.

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Context;
use crate::error::EntryApiError;
use crate::model::{ApiKey, Permission, User};
use crate::token::verify::{TokenKind, audience_contains, lists_api};
use crate::token::{Refusal, token_id};

/// The API an access token's client must list to use the Entry API.
const ENTRY_API: &str = "entry";
const FOREIGN_ID_TOKEN: &str =
    "The given token is an id token. Please use an access token instead.";
const CLIENT_TOKEN_AT_USER: &str = "Client access tokens are not supported on this endpoint because a user is required to return user info.";
const NO_USER: &str = "No user found for the given token.";

/// The 200 body, members in upstream's order.
#[derive(Debug, Serialize)]
pub struct EntryApiUser {
    pub uuid: String,
    pub email: String,
    pub username: String,
    pub id: String,
    pub nick: String,
}

/// A request's verified identity: the token that passed, its kind and what it claims. Holds
/// no token text (only its `jti` or hash prefix), so it may travel in request extensions.
#[derive(Debug, Clone)]
pub struct EntryCaller {
    kind: TokenKind,
    claims: Arc<Map<String, Value>>,
    token_id: String,
}

impl EntryCaller {
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// The uid of the user the token speaks for (none for a client's own token).
    pub fn user_id(&self) -> Option<&str> {
        self.kind.user_id(&self.claims)
    }

    /// The OAuth2 client of an access token.
    pub fn client_id(&self) -> Option<&str> {
        self.kind.client_id(&self.claims)
    }

    /// The token's `jti`, else the first 12 hex digits of its SHA-256 (for the journal).
    pub fn token_id(&self) -> &str {
        &self.token_id
    }
}

/// Authentication for the Entry API, and `GET /user`.
pub struct EntryApiService {
    ctx: Arc<Context>,
}

impl EntryApiService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// `authorization` is the raw header (None when absent); `presented`/`key` the API key,
    /// read only for the JWT provider's tokens (access tokens need none, as upstream).
    pub fn authenticate(
        &self,
        authorization: Option<&str>,
        presented: Option<&str>,
        key: Option<&ApiKey>,
    ) -> Result<EntryCaller, EntryApiError> {
        let token = bearer_token(authorization)?;
        let claims = self
            .ctx
            .tokens
            .check(token, self.ctx.now())
            .map_err(|refusal| {
                tracing::info!(?refusal, "entry api token refused");
                crate::metrics::refused(refusal.as_reason());
                EntryApiError::Unauthorized(refusal_detail(refusal, token))
            })?;
        let kind = TokenKind::of(&claims);
        match kind {
            TokenKind::IdToken
                if !audience_contains(&claims, &self.ctx.settings.token.client_id) =>
            {
                refused("entry_api_foreign_id_token");
                return Err(EntryApiError::Unauthorized(FOREIGN_ID_TOKEN.into()));
            }
            TokenKind::V1 | TokenKind::IdToken => require_key(presented, key)?,
            TokenKind::ClientAccess | TokenKind::UserAccess => {
                if !lists_api(&claims, ENTRY_API) {
                    refused("entry_api_not_listed");
                    return Err(EntryApiError::TokenForbidden);
                }
            }
        }
        Ok(EntryCaller {
            kind,
            claims: Arc::new(claims),
            token_id: token_id(token),
        })
    }

    /// `GET /user` for a caller [`Self::authenticate`] accepted. v1 tokens are answered from
    /// their claims alone; id_tokens and user access tokens need their user to exist.
    pub fn user(&self, caller: &EntryCaller) -> Result<EntryApiUser, EntryApiError> {
        let unauthorized = |detail: &str| EntryApiError::Unauthorized(detail.to_owned());
        match caller.kind {
            TokenKind::V1 => Ok(user_from_claims(&caller.claims)),
            TokenKind::ClientAccess => Err(unauthorized(CLIENT_TOKEN_AT_USER)),
            TokenKind::IdToken | TokenKind::UserAccess => {
                let directory = self.ctx.directory();
                let user = caller.user_id().and_then(|uid| directory.user_by_uid(uid));
                let user = user.ok_or_else(|| unauthorized(NO_USER))?;
                Ok(match caller.kind {
                    // Unchanged from before access tokens: the id_token's claims.
                    TokenKind::IdToken => user_from_claims(&caller.claims),
                    _ => user_from_record(&user),
                })
            }
        }
    }
}

/// Checks 1 and 2: the header is there and starts with `Bearer `.
fn bearer_token(authorization: Option<&str>) -> Result<&str, EntryApiError> {
    let unauthorized = |detail: &str| EntryApiError::Unauthorized(detail.to_owned());
    let header = authorization.ok_or_else(|| unauthorized("Authorization header missing."))?;
    header.strip_prefix("Bearer ").ok_or_else(|| {
        unauthorized(r#"Authorization header must start with "Bearer ", followed by your token."#)
    })
}

fn refusal_detail(refusal: Refusal, token: &str) -> String {
    match refusal {
        Refusal::NotAJwt => format!("Token \"{token}\" is not a valid JWT."),
        Refusal::BadSignature => {
            "Token signature verification failed. The token is likely forged or manipulated.".into()
        }
        Refusal::Expired => "Token expired (or not yet usable).".into(),
        Refusal::BadIssuer => "Token is not issued by a valid issuer.".into(),
        Refusal::MissingClaims => "Token is missing one of its required claims.".into(),
    }
}

/// Checks 8 to 10, for the JWT provider's tokens: a key was sent, is known, may use the API.
fn require_key(presented: Option<&str>, key: Option<&ApiKey>) -> Result<(), EntryApiError> {
    let presented = presented.ok_or_else(|| {
        EntryApiError::Unauthorized("The given token requires an API key, but no x-api-key header or apiKey URL parameter found.".into())
    })?;
    let key = key.ok_or_else(|| {
        EntryApiError::Unauthorized(format!(
            "Could not authenticate with API key \"{presented}\"."
        ))
    })?;
    if !key.may(Permission::EntryApi) {
        return Err(EntryApiError::Forbidden);
    }
    Ok(())
}

fn refused(reason: &'static str) {
    tracing::info!(reason, "entry api token refused");
    crate::metrics::refused(reason);
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

/// A user access token carries no nick: the answer comes from the account it names.
fn user_from_record(user: &User) -> EntryApiUser {
    EntryApiUser {
        uuid: user.uid.clone(),
        email: user.email.clone(),
        username: user.nick.clone(),
        id: user.uid.clone(),
        nick: user.nick.clone(),
    }
}
