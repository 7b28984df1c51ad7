//! `POST /_emulator/tokens` (`docs/protocol.md#control-plane`): tokens for any user and key without
//! a login, optionally with extra claims, another lifetime, or already expired.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::Context;
use crate::clock::SETTABLE;
use crate::error::ControlError;
use crate::token::AccessOptions;

/// No `Debug`: it carries an API key.
#[derive(Clone, Default, Deserialize, ToSchema)]
#[schema(description = "What to mint: for whom, for which key, with what.")]
#[serde(deny_unknown_fields)]
pub struct MintRequest {
    /// uid or nick of a configured user (a JWT-provider token).
    #[schema(example = "stiksels")]
    #[serde(default)]
    pub user: Option<String>,
    /// An OAuth2 client's id: without `user` a client access token, with `user` a user access
    /// token and a rotating refresh-token chain, as a login would give
    /// (`docs/protocol.md#oauth2-tokens`).
    #[serde(default)]
    pub client: Option<String>,
    /// With `client`: the scopes to ask for (space-separated), as at the token endpoint;
    /// `openid` adds an id_token.
    #[serde(default)]
    pub scope: Option<String>,
    /// A configured API key; with the `refresh` permission a refresh token is minted too.
    #[serde(default)]
    pub api_key: Option<String>,
    /// Lifetime such as `"5m"` instead of `token.access_ttl`.
    #[serde(default)]
    pub ttl: Option<String>,
    /// Extra or overriding claims.
    #[serde(default)]
    pub claims: Map<String, Value>,
    /// Issue a token that is already expired.
    #[serde(default)]
    pub expired: bool,
}

/// No `Debug`: the tokens must never reach a log.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[schema(
    description = "The minted access token; a refresh token when the key has `refresh` or the \
                   client may refresh (then it rotates); an id_token with the `openid` scope."
)]
pub struct MintedTokens {
    pub jwt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

/// Minting: tokens for any user and key without a login.
pub struct MintService {
    ctx: Arc<Context>,
}

impl MintService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub(super) fn context(&self) -> &Context {
        &self.ctx
    }

    pub async fn mint(&self, request: &MintRequest) -> Result<MintedTokens, ControlError> {
        let ctx = &self.ctx;
        let wanted = match (&request.user, &request.client) {
            (Some(user), None) => user,
            (None, Some(client)) => return self.mint_for_client(client, request),
            (Some(user), Some(client)) => {
                return self.mint_for_user_and_client(user, client, request).await;
            }
            (None, None) => return Err(ControlError::invalid("user", "give user or client")),
        };
        if request.scope.is_some() {
            return Err(ControlError::invalid("scope", "only with client"));
        }
        let user = ctx.directory().user(wanted).ok_or_else(|| {
            ControlError::invalid("user", format!("no user with uid or nick {wanted:?}"))
        })?;
        let key = match request.api_key.as_deref() {
            Some(presented) => Some(
                ctx.directory()
                    .api_key(presented)
                    .ok_or_else(|| ControlError::invalid("api_key", "unknown API key"))?,
            ),
            None => None,
        };
        let now = ctx.now();
        let ttl = match request.ttl.as_deref() {
            Some(text) => Some(ttl(text, now)?),
            None => None,
        };
        let options = AccessOptions {
            ttl,
            claims: request.claims.clone(),
            expired: request.expired,
        };
        let jwt = ctx.tokens.access_token_with(&user, now, &options)?;
        let refresh = match ctx.new_refresh_token(&user, key.as_deref(), now) {
            Some((token, record)) => {
                ctx.store.insert_refresh_token(&record).await?;
                Some(token.as_str().to_owned())
            }
            None => None,
        };
        tracing::info!(user = %user.nick, "tokens minted");
        Ok(MintedTokens {
            jwt,
            refresh,
            id_token: None,
        })
    }
}

/// A minted token's lifetime: at least a second, and ending by 9999-12-31T23:59:59Z, so that
/// `exp` (and the earlier `iat` of an expired token) stays in range: a lifetime beyond
/// `i64::MAX` seconds overflowed `exp` into a 500.
pub(super) fn ttl(text: &str, now: i64) -> Result<Duration, ControlError> {
    let positive = humantime::parse_duration(text)
        .ok()
        .filter(|d| d.as_secs() > 0)
        .ok_or_else(|| {
            ControlError::invalid(
                "ttl",
                format!("{text:?} is not a positive duration like \"5m\""),
            )
        })?;
    let exp = i64::try_from(positive.as_secs())
        .ok()
        .and_then(|seconds| now.checked_add(seconds));
    match exp {
        Some(exp) if exp <= *SETTABLE.end() => Ok(positive),
        _ => Err(ControlError::invalid(
            "ttl",
            format!("{text:?} would expire after 9999-12-31T23:59:59Z"),
        )),
    }
}
