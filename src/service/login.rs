//! The login form (PROTOCOL.md 4.2): a CSRF token bound to the browser that started the flow,
//! the credentials check, and the atomic finish (flow consumed, new session, refresh token).

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::SESSION_TTL_SECONDS;
use crate::destination::Destination;
use crate::directory::User;
use crate::emulator::Emulator;
use crate::error::{Error, Result};
use crate::store::{FlowKind, FlowRecord, SessionRecord};
use crate::token::{OpaqueToken, TokenHash};

/// Everything the login form shows.
pub struct LoginPage {
    pub flow_id: String,
    pub csrf: String,
    pub lang: String,
    pub users: Vec<Arc<User>>,
    pub username: String,
    pub failed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginAction {
    Login,
    Cancel,
}

pub struct LoginSubmission<'a> {
    pub flow_id: &'a str,
    pub csrf: &'a str,
    pub action: LoginAction,
    pub username: &'a str,
    pub password: &'a str,
    pub browser: Option<&'a str>,
    pub old_session: Option<&'a str>,
}

pub enum SubmitOutcome {
    WrongCredentials(LoginPage),
    LoggedIn {
        redirect: String,
        session: OpaqueToken,
    },
}

impl Emulator {
    /// The form for a flow, if the flow is live.
    pub async fn login_page(&self, flow_id: &str, browser: Option<&str>) -> Result<LoginPage> {
        let flow = self.live_flow(flow_id).await?;
        Ok(self.page_for(&flow, browser.unwrap_or(""), "", false))
    }

    pub async fn submit_login(&self, form: LoginSubmission<'_>) -> Result<SubmitOutcome> {
        let flow = self.live_flow(form.flow_id).await?;
        let browser = form.browser.unwrap_or("");
        let bound = TokenHash::of(browser.as_bytes()).0.as_slice() == flow.browser_hash.as_slice();
        if !bound || form.csrf != csrf_token(browser, &flow.id) {
            crate::metrics::refused("csrf");
            tracing::warn!("login form refused: CSRF token or browser binding does not match");
            return Err(Error::Forbidden(
                "The login form could not be verified (CSRF). Start again.".into(),
            ));
        }
        if form.action == LoginAction::Cancel {
            self.store.delete_flow(&flow.id).await?;
            return Err(Error::Rejected);
        }
        let user = self
            .directory
            .user_by_login(form.username)
            .filter(|u| u.password.expose() == form.password);
        let Some(user) = user else {
            tracing::info!("login refused: wrong username or password");
            crate::metrics::refused("wrong_credentials");
            return Ok(SubmitOutcome::WrongCredentials(self.page_for(
                &flow,
                browser,
                form.username,
                true,
            )));
        };
        self.finish_login(&flow, &user, form.old_session).await
    }

    async fn finish_login(
        &self,
        flow: &FlowRecord,
        user: &User,
        old_session: Option<&str>,
    ) -> Result<SubmitOutcome> {
        let now = self.clock.now();
        // The key decides at the end whether a refresh token is issued (new_refresh_token
        // checks its permission), so the flow only needs to remember which key started it.
        let key = flow.api_key_hash.as_deref().and_then(|h| {
            let hash = TokenHash(h.try_into().ok()?);
            self.directory.api_key_by_hash(&hash)
        });
        let refresh = self.new_refresh_token(user, key.as_deref(), now);
        let session = OpaqueToken::generate();
        let record = SessionRecord {
            id_hash: session.hash().0.to_vec(),
            user_uid: user.uid.clone(),
            created_at: now,
            expires_at: now + SESSION_TTL_SECONDS,
        };
        let old = old_session.map(|s| OpaqueToken::presented(s).hash().0);
        let finished = self
            .store
            .finish_login(&flow.id, now, old, &record, refresh.as_ref().map(|r| &r.1))
            .await?;
        if !finished {
            return Err(flow_gone());
        }
        let jwt = self.tokens.access_token(user, now)?;
        let destination = Destination::restore(&flow.destination)?;
        let refresh = refresh.as_ref().map(|r| r.0.as_str());
        let redirect = destination.with_tokens(self.settings.public_base(), &jwt, refresh);
        Ok(SubmitOutcome::LoggedIn { redirect, session })
    }

    async fn live_flow(&self, flow_id: &str) -> Result<FlowRecord> {
        self.store
            .find_flow(FlowKind::Login, flow_id, self.clock.now())
            .await?
            .ok_or_else(flow_gone)
    }

    fn page_for(
        &self,
        flow: &FlowRecord,
        browser: &str,
        username: &str,
        failed: bool,
    ) -> LoginPage {
        LoginPage {
            flow_id: flow.id.clone(),
            csrf: csrf_token(browser, &flow.id),
            lang: flow.lang.clone(),
            users: self.directory.users().to_vec(),
            username: username.to_owned(),
            failed,
        }
    }
}

fn flow_gone() -> Error {
    Error::BadRequest(
        "This login is unknown, was already used, or has expired. Start again from /connect."
            .into(),
    )
}

/// Bound to the browser: derived from the secret browser cookie, which another site cannot read.
fn csrf_token(browser: &str, flow_id: &str) -> String {
    let material = format!("uitid-emulator csrf\0{browser}\0{flow_id}");
    URL_SAFE_NO_PAD.encode(TokenHash::of(material.as_bytes()).0)
}
