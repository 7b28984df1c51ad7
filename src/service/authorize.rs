//! `GET /realms/uitid/protocol/openid-connect/auth` (`docs/protocol.md#authorization-endpoint`):
//! the request's checks, then a code at once (SSO session or headless login) or the same login
//! form as `/connect`, whose flow remembers the request.

use std::sync::Arc;

use super::Context;
use super::authorization::{checked, error_response};
use super::connect::{NewLoginFlow, normalized_lang};
use super::oauth_request::FormParams;
use super::user_login::new_sid;
use crate::config::LoginMode;
use crate::error::AuthorizeError;
use crate::model::User;
use crate::secret::OpaqueToken;
use crate::store::SessionRecord;

/// A request as the browser sent it; cookies are their raw values.
pub struct AuthorizeInput<'a> {
    pub params: FormParams,
    pub browser: Option<&'a str>,
    pub session: Option<&'a str>,
}

pub enum AuthorizeOutcome {
    /// Logged in already: back to the client with a code.
    Redirect {
        url: String,
        user: String,
        client: String,
    },
    /// The login form of this flow; set `new_browser` as the browser cookie when present.
    ShowLogin {
        flow_id: String,
        new_browser: Option<OpaqueToken>,
        client: String,
    },
}

pub struct AuthorizeService {
    ctx: Arc<Context>,
}

impl AuthorizeService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn authorize(
        &self,
        input: AuthorizeInput<'_>,
    ) -> Result<AuthorizeOutcome, AuthorizeError> {
        let ctx = &self.ctx;
        let directory = ctx.directory();
        let client = (input.params.get("client_id")).and_then(|id| directory.client(id));
        let issuer = ctx.tokens.oauth_issuer();
        let request = checked(&input.params, client.as_deref(), issuer)?;
        let client_id = request.client_id.clone();
        let prompts: Vec<&str> = input
            .params
            .get("prompt")
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let back = |error: &str, description: &str| {
            let state = request.state.as_deref();
            error_response(&request.redirect_uri, state, issuer, error, description)
        };
        let logged_in = if ctx.settings.login.mode == LoginMode::Headless {
            // Headless: `login_hint` picks the user, else the configured one.
            let user = match input.params.get("login_hint") {
                Some(hint) => directory
                    .user_by_login(hint)
                    .or_else(|| directory.user(hint)),
                None => directory.user(&ctx.settings.login.headless_user),
            };
            let user = user.ok_or_else(|| back("invalid_request", "Unknown login_hint"))?;
            Some((user, new_sid(), ctx.now()))
        } else if prompts.contains(&"login") {
            None
        } else {
            self.sso_session(input.session).await?
        };
        if let Some((user, sid, auth_time)) = logged_in {
            return Ok(AuthorizeOutcome::Redirect {
                url: ctx.issue_code(&request, &user.uid, &sid, auth_time).await?,
                user: user.uid.clone(),
                client: client_id,
            });
        }
        if prompts.contains(&"none") {
            return Err(back("login_required", "Login required"));
        }
        let lang = input.params.get("ui_locales").and_then(supported_locale);
        let flow = NewLoginFlow {
            destination: String::new(),
            api_key_hash: None,
            lang: normalized_lang(lang),
            authorization: Some(serde_json::to_string(&request).map_err(anyhow::Error::from)?),
        };
        let (flow_id, new_browser) = ctx.start_login_flow(flow, input.browser).await?;
        Ok(AuthorizeOutcome::ShowLogin {
            flow_id,
            new_browser,
            client: client_id,
        })
    }

    /// The authorization response as if `user` (uid, nick or e-mail) had just logged in, for
    /// tests that drive a client's callback without a browser (`crate::testing`). Every check
    /// of the request runs as usual.
    pub async fn authorize_as(
        &self,
        user: &str,
        params: FormParams,
    ) -> Result<String, AuthorizeError> {
        let ctx = &self.ctx;
        let directory = ctx.directory();
        let client = params.get("client_id").and_then(|id| directory.client(id));
        let request = checked(&params, client.as_deref(), ctx.tokens.oauth_issuer())?;
        let user = (directory
            .user(user)
            .or_else(|| directory.user_by_login(user)))
        .ok_or_else(|| AuthorizeError::Page(format!("no user {user:?}")))?;
        Ok(ctx
            .issue_code(&request, &user.uid, &new_sid(), ctx.now())
            .await?)
    }

    /// The user, sid and login time of the browser's live SSO session.
    async fn sso_session(
        &self,
        cookie: Option<&str>,
    ) -> Result<Option<(Arc<User>, String, i64)>, AuthorizeError> {
        let ctx = &self.ctx;
        let Some(cookie) = cookie else {
            return Ok(None);
        };
        let hash = OpaqueToken::presented(cookie).hash();
        let record: Option<SessionRecord> =
            ctx.store.find_session(hash.as_bytes(), ctx.now()).await?;
        Ok(record
            .filter(|r| !r.sid.is_empty())
            .and_then(|r| Some((ctx.directory().user(&r.user_uid)?, r.sid, r.created_at))))
    }
}

/// The first of `ui_locales` (space-separated, RFC 5646 tags) the login form speaks.
fn supported_locale(ui_locales: &str) -> Option<&'static str> {
    ui_locales.split_whitespace().find_map(|tag| {
        match tag.split('-').next()?.to_ascii_lowercase().as_str() {
            "nl" => Some("nl"),
            "fr" => Some("fr"),
            "de" => Some("de"),
            _ => None,
        }
    })
}
