//! `.../openid-connect/logout`, RP-initiated logout (`docs/protocol.md#realm-logout`): ends the
//! SSO session and revokes its chains (not offline ones), then sends the browser to
//! `post_logout_redirect_uri` only when the client named by `id_token_hint` or `client_id`
//! registered it; otherwise a page. Without an `id_token_hint` or a registered redirect, the
//! page asks first, so a cross-site link cannot log anyone out.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::Context;
use super::authorization::with_query;
use crate::error::AuthorizeError;
use crate::secret::{OpaqueToken, TokenHash};
use crate::token::verify::TokenKind;

/// The request's parameters and the browser's session cookie.
#[derive(Default)]
pub struct RealmLogoutInput<'a> {
    pub id_token_hint: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub post_logout_redirect_uri: Option<&'a str>,
    pub state: Option<&'a str>,
    pub session: Option<&'a str>,
}

pub enum RealmLogoutOutcome {
    /// Logged out; go to the client's registered URI.
    Redirect(String),
    /// Logged out; say so.
    LoggedOut,
    /// Ask first: a form that posts this CSRF token back (`confirm`).
    Confirm { csrf: String, unregistered: bool },
}

pub struct RealmLogoutService {
    ctx: Arc<Context>,
}

impl RealmLogoutService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn logout(
        &self,
        input: RealmLogoutInput<'_>,
    ) -> Result<RealmLogoutOutcome, AuthorizeError> {
        let page = |text: &str| Err(AuthorizeError::Page(text.to_owned()));
        let (hinted, hinted_sid) = match input.id_token_hint {
            Some(hint) => match self.hinted(hint) {
                Some((client, sid)) => (Some(client), sid),
                None => return page("Invalid IDToken"),
            },
            None => (None, None),
        };
        // The hint names its session: it ends even when this browser holds no cookie (another
        // client, headless mode), as at Keycloak.
        let ends = Ended {
            cookie: input.session,
            sid: hinted_sid.as_deref(),
        };
        if let (Some(hinted), Some(named)) = (&hinted, input.client_id)
            && hinted != named
        {
            return page("Parameter client_id does not match the client from ID token");
        }
        let client_id = hinted.as_deref().or(input.client_id);
        let client = client_id.and_then(|id| self.ctx.directory().client(id));
        if client_id.is_some() && client.is_none() {
            return page("Invalid parameter: client_id");
        }
        let redirect = match (input.post_logout_redirect_uri, &client) {
            (Some(uri), Some(client)) if client.accepts_post_logout_redirect(uri) => Some(uri),
            _ => None,
        };
        if let Some(uri) = redirect {
            self.end_session(ends).await?;
            let state: Vec<_> = input.state.map(|s| ("state", s)).into_iter().collect();
            return Ok(RealmLogoutOutcome::Redirect(with_query(uri, &state)));
        }
        if hinted.is_some() && input.post_logout_redirect_uri.is_none() {
            self.end_session(ends).await?;
            return Ok(RealmLogoutOutcome::LoggedOut);
        }
        let Some(session) = input.session else {
            return Ok(RealmLogoutOutcome::LoggedOut);
        };
        Ok(RealmLogoutOutcome::Confirm {
            csrf: confirmation_token(session),
            unregistered: input.post_logout_redirect_uri.is_some(),
        })
    }

    /// The confirmation form's answer: ends the session if the token is this browser's.
    pub async fn confirm(&self, csrf: &str, session: Option<&str>) -> Result<(), AuthorizeError> {
        let Some(session) = session else {
            return Ok(());
        };
        if csrf != confirmation_token(session) {
            crate::metrics::refused("csrf");
            return Err(AuthorizeError::Page(
                "The logout could not be verified (CSRF). Start again.".into(),
            ));
        }
        let ends = Ended {
            cookie: Some(session),
            sid: None,
        };
        self.end_session(ends).await
    }

    /// The client an id_token of this realm was issued to, and its session, if `hint` is one
    /// (an expired one still names them, as at Keycloak, but its signature must hold).
    fn hinted(&self, hint: &str) -> Option<(String, Option<String>)> {
        let ctx = &self.ctx;
        let payload = hint.split('.').nth(1)?;
        let claims: serde_json::Map<String, Value> =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        let exp = claims.get("exp").and_then(Value::as_i64)?;
        // Verify at a moment the token was valid, so an old hint still counts.
        let verified = ctx.tokens.check(hint, exp.min(ctx.now())).ok()?;
        let text = |name: &str| verified.get(name).and_then(Value::as_str);
        let own = TokenKind::of(&verified) == TokenKind::IdToken
            && text("iss") == Some(ctx.tokens.oauth_issuer());
        let client = own.then(|| text("azp").map(str::to_owned)).flatten()?;
        Some((client, text("sid").map(str::to_owned)))
    }

    /// Ends the browser's session and the hint's, revoking their chains (not offline ones).
    async fn end_session(&self, ends: Ended<'_>) -> Result<(), AuthorizeError> {
        let ctx = &self.ctx;
        let now = ctx.now();
        let mut sids: Vec<String> = ends.sid.map(str::to_owned).into_iter().collect();
        if let Some(cookie) = ends.cookie {
            let hash = OpaqueToken::presented(cookie).hash();
            match ctx.store.find_session(hash.as_bytes(), now).await? {
                Some(record) if !record.sid.is_empty() => sids.push(record.sid),
                _ => ctx.store.delete_session(hash.as_bytes()).await?,
            }
        }
        sids.dedup();
        for sid in sids {
            let revoked = ctx.store.end_session(&sid, now).await?;
            tracing::info!(revoked, "SSO session ended; its chains revoked");
        }
        Ok(())
    }
}

/// The sessions a logout ends: the browser's (its cookie) and the one the hint names.
struct Ended<'a> {
    cookie: Option<&'a str>,
    sid: Option<&'a str>,
}

/// Bound to the session cookie, which another site cannot read.
fn confirmation_token(session: &str) -> String {
    TokenHash::csrf("logout", &[session])
}
