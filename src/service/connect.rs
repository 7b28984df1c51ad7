//! `/connect` (PROTOCOL.md 4.1): destination rules, then straight to the destination when the
//! browser is logged in already (SSO session) or login is headless, else a server-side flow
//! record and the login form.

use std::sync::Arc;

use super::{FLOW_TTL_SECONDS, MISSING_DESTINATION};
use crate::config::LoginMode;
use crate::destination::{AllowedDestination, Destination};
use crate::directory::{ApiKey, User};
use crate::emulator::Emulator;
use crate::error::{Error, Result};
use crate::store::{FlowKind, FlowRecord};
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
            lang: normalized_lang(request.lang).to_owned(),
            browser_hash: TokenHash::of(browser.as_bytes()).0.to_vec(),
            expires_at: now + FLOW_TTL_SECONDS,
        };
        self.purge_expired_if_due(now).await?;
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
}

/// `nl`, `fr` or `de`; anything else is `nl` (PROTOCOL.md 4.1).
pub fn normalized_lang(lang: Option<&str>) -> &'static str {
    match lang {
        Some("fr") => "fr",
        Some("de") => "de",
        _ => "nl",
    }
}
