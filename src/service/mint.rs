//! `POST /_emulator/tokens` (issue 3): tokens for any user and key without a login, optionally
//! with extra claims, another lifetime, or already expired.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::emulator::Emulator;
use crate::error::{Error, Result};
use crate::token::AccessOptions;

/// No `Debug`: it carries an API key.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MintRequest {
    /// uid or nick of a configured user.
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
#[derive(Clone, Serialize, Deserialize)]
pub struct MintedTokens {
    pub jwt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
}

impl Emulator {
    pub async fn mint(&self, request: &MintRequest) -> Result<MintedTokens> {
        let user = self.directory.user(&request.user).ok_or_else(|| {
            Error::invalid(
                "user",
                format!("no user with uid or nick {:?}", request.user),
            )
        })?;
        let key = match request.api_key.as_deref() {
            Some(presented) => Some(
                self.directory
                    .api_key(presented)
                    .ok_or_else(|| Error::invalid("api_key", "unknown API key"))?,
            ),
            None => None,
        };
        let ttl = match request.ttl.as_deref() {
            Some(text) => Some(
                humantime::parse_duration(text)
                    .ok()
                    .filter(|d| d.as_secs() > 0)
                    .ok_or_else(|| {
                        Error::invalid(
                            "ttl",
                            format!("{text:?} is not a positive duration like \"5m\""),
                        )
                    })?,
            ),
            None => None,
        };
        let now = self.clock.now();
        let options = AccessOptions {
            ttl,
            claims: request.claims.clone(),
            expired: request.expired,
        };
        let jwt = self.tokens.access_token_with(&user, now, &options)?;
        let refresh = match self.new_refresh_token(&user, key.as_deref(), now) {
            Some((token, record)) => {
                self.store.insert_refresh_token(&record).await?;
                Some(token.as_str().to_owned())
            }
            None => None,
        };
        tracing::info!(user = %user.nick, "tokens minted");
        Ok(MintedTokens { jwt, refresh })
    }
}
