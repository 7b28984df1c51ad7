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
    /// uid or nick of a configured user.
    #[schema(example = "stiksels")]
    pub user: String,
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
#[schema(description = "The minted access token, and a refresh token when the key has `refresh`.")]
pub struct MintedTokens {
    pub jwt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
}

/// Minting: tokens for any user and key without a login.
pub struct MintService {
    ctx: Arc<Context>,
}

impl MintService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn mint(&self, request: &MintRequest) -> Result<MintedTokens, ControlError> {
        let ctx = &self.ctx;
        let user = ctx.directory().user(&request.user).ok_or_else(|| {
            ControlError::invalid(
                "user",
                format!("no user with uid or nick {:?}", request.user),
            )
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
        Ok(MintedTokens { jwt, refresh })
    }
}

/// A minted token's lifetime: at least a second, and ending by 9999-12-31T23:59:59Z, so that
/// `exp` (and the earlier `iat` of an expired token) stays in range: a lifetime beyond
/// `i64::MAX` seconds overflowed `exp` into a 500.
fn ttl(text: &str, now: i64) -> Result<Duration, ControlError> {
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
