//! `GET|POST .../userinfo` (`docs/protocol.md#userinfo`): the user of a live user access token.

use std::sync::Arc;

use serde_json::{Value, json};

use super::Context;
use crate::error::OAuthError;
use crate::token::subject;

pub struct UserInfoService {
    ctx: Arc<Context>,
}

impl UserInfoService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// The claims of the user `token` speaks for; `token` is the bearer token, if any. Answers
    /// the user's uid too, for the journal.
    pub async fn userinfo(&self, token: Option<&str>) -> Result<(Value, String), OAuthError> {
        let token = token.ok_or(OAuthError::InvalidToken("Token not provided"))?;
        let live = self.ctx.live_realm_token(token).await?;
        let live = live.map_err(|why| {
            crate::metrics::refused("userinfo_token");
            OAuthError::InvalidToken(why)
        })?;
        let Some(user) = live.user else {
            // A client access token speaks for no user.
            return Err(OAuthError::InvalidToken("Token verification failed"));
        };
        let info = json!({
            "sub": subject(&user),
            "given_name": user.nick,
            "email": user.email,
            "email_verified": !user.email.is_empty(),
            "preferred_username": if user.email.is_empty() { &user.nick } else { &user.email },
        });
        Ok((info, user.uid.clone()))
    }
}
