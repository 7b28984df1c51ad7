//! `/connect` and the login form (PROTOCOL.md 4.1, 4.2): a server-side record per flow, a CSRF
//! token bound to the browser that started it, an SSO session, and headless login.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{FLOW_TTL_SECONDS, MISSING_DESTINATION, SESSION_TTL_SECONDS};
use crate::config::{LoginMode, Permission};
use crate::destination::{AllowedDestination, Destination};
use crate::directory::{ApiKey, User};
use crate::emulator::Emulator;
use crate::error::{Error, Result};
use crate::store::{FlowKind, FlowRecord, SessionRecord};
use crate::token::{OpaqueToken, TokenHash};

/// What `/connect` was called with; cookies are the raw values the browser sent.
pub struct ConnectRequest<'a> {
    pub destination: Option<&'a str>,
    pub key: Option<Arc<ApiKey>>,
    pub lang: Option<&'a str>,
    pub browser: Option<&'a str>,
    pub session: Option<&'a str>,
}

pub enum ConnectOutcome {
    /// Logged in already (SSO or headless): go to this URL, tokens included.
    Redirect(String),
    /// Show the form of this flow; set `new_browser` as the browser cookie when present.
    ShowLogin {
        flow_id: String,
        new_browser: Option<OpaqueToken>,
    },
}

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
    pub async fn connect(&self, request: ConnectRequest<'_>) -> Result<ConnectOutcome> {
        let key = request.key.as_deref();
        let allowed = key.map(|k| k.destinations.as_slice()).unwrap_or(&[]);
        let destination = self.checked_destination(request.destination, allowed)?;
        if let Some(user) = self.already_logged_in(request.session).await? {
            let tokens = self.issue_tokens(&user, key).await?;
            let refresh = tokens.refresh.as_ref().map(OpaqueToken::as_str);
            return Ok(ConnectOutcome::Redirect(destination.with_tokens(
                self.settings.public_base(),
                &tokens.jwt,
                refresh,
            )));
        }
        let new_browser = request.browser.is_none().then(OpaqueToken::generate);
        let browser = new_browser
            .as_ref()
            .map(OpaqueToken::as_str)
            .or(request.browser)
            .unwrap_or("");
        let now = self.clock.now();
        let flow = FlowRecord {
            id: OpaqueToken::generate().as_str().to_owned(),
            destination: destination.stored(),
            api_key_hash: key.map(|k| k.hash.0.to_vec()),
            refresh_allowed: key.is_some_and(|k| k.may(Permission::Refresh)),
            lang: normalized_lang(request.lang).to_owned(),
            browser_hash: TokenHash::of(browser.as_bytes()).0.to_vec(),
            expires_at: now + FLOW_TTL_SECONDS,
        };
        self.store.insert_flow(FlowKind::Login, &flow, now).await?;
        Ok(ConnectOutcome::ShowLogin {
            flow_id: flow.id,
            new_browser,
        })
    }

    /// Applies PROTOCOL.md 4.1's destination rules: `allowed`, plus loopback and `oob`.
    pub(crate) fn checked_destination(
        &self,
        raw: Option<&str>,
        allowed: &[AllowedDestination],
    ) -> Result<Destination> {
        let raw = raw
            .filter(|d| !d.is_empty())
            .ok_or_else(|| Error::BadRequest(MISSING_DESTINATION.into()))?;
        Destination::check(raw, allowed).map_err(|why| {
            tracing::info!(why, "destination refused");
            crate::metrics::refused("destination");
            Error::BadRequest(format!("The destination is not allowed: {why}."))
        })
    }

    /// The headless user, or the user of a live SSO session.
    async fn already_logged_in(&self, session: Option<&str>) -> Result<Option<Arc<User>>> {
        if self.settings.login.mode == LoginMode::Headless {
            return Ok(self.directory.user(&self.settings.login.headless_user));
        }
        let Some(session) = session else {
            return Ok(None);
        };
        let hash = OpaqueToken::presented(session).hash();
        let record = self
            .store
            .find_session(hash.as_bytes(), self.clock.now())
            .await?;
        Ok(record.and_then(|r| self.directory.user(&r.user_uid)))
    }

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
        let key = flow.api_key_hash.as_deref().and_then(|h| {
            let hash = TokenHash(h.try_into().ok()?);
            self.directory.api_key_by_hash(&hash)
        });
        let key = key.filter(|_| flow.refresh_allowed);
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
        if finished.is_none() {
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

/// `nl`, `fr` or `de`; anything else is `nl` (PROTOCOL.md 4.1).
pub fn normalized_lang(lang: Option<&str>) -> &'static str {
    match lang {
        Some("fr") => "fr",
        Some("de") => "de",
        _ => "nl",
    }
}
