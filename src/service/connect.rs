//! `/connect` (`docs/protocol.md#connect`): destination rules, then straight to the destination
//! when the browser is logged in already (SSO session) or login is headless, else a server-side
//! flow record and the login form.

use std::sync::Arc;

use super::{Context, FLOW_TTL_SECONDS, MISSING_DESTINATION};
use crate::config::LoginMode;
use crate::destination::{AllowedDestination, Destination};
use crate::error::{Failure, ProviderError};
use crate::model::{ApiKey, User};
use crate::secret::{OpaqueToken, TokenHash};
use crate::store::{FlowKind, FlowRecord};

/// What `/connect` was called with; cookies are the raw values the browser sent.
pub struct ConnectRequest<'a> {
    pub destination: Option<&'a str>,
    pub key: Option<Arc<ApiKey>>,
    pub lang: Option<&'a str>,
    pub browser: Option<&'a str>,
    pub session: Option<&'a str>,
}

pub enum ConnectOutcome {
    /// Logged in already (SSO or headless): go to `url`, tokens included, issued to `user` (uid).
    Redirect { url: String, user: String },
    /// Show the form of this flow; set `new_browser` as the browser cookie when present.
    ShowLogin {
        flow_id: String,
        new_browser: Option<OpaqueToken>,
    },
}

/// `GET /connect`: the start of every login.
pub struct ConnectService {
    ctx: Arc<Context>,
}

impl ConnectService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn connect(
        &self,
        request: ConnectRequest<'_>,
    ) -> Result<ConnectOutcome, ProviderError> {
        let ctx = &self.ctx;
        let key = request.key.as_deref();
        let allowed = key.map(|k| k.destinations.as_slice()).unwrap_or(&[]);
        let destination = ctx.checked_destination(request.destination, allowed)?;
        if let Some(user) = self.already_logged_in(request.session).await? {
            let tokens = ctx.issue_tokens(&user, key).await?;
            let refresh = tokens.refresh.as_ref().map(OpaqueToken::as_str);
            let url = destination.with_tokens(ctx.settings.public_base(), &tokens.jwt, refresh);
            return Ok(ConnectOutcome::Redirect {
                url,
                user: user.uid.clone(),
            });
        }
        let flow = NewLoginFlow {
            destination: destination.stored(),
            api_key_hash: key.map(|k| k.hash.0.to_vec()),
            lang: normalized_lang(request.lang),
            authorization: None,
        };
        let (flow_id, new_browser) = ctx.start_login_flow(flow, request.browser).await?;
        Ok(ConnectOutcome::ShowLogin {
            flow_id,
            new_browser,
        })
    }

    /// The headless user, or the user of a live SSO session.
    async fn already_logged_in(
        &self,
        session: Option<&str>,
    ) -> Result<Option<Arc<User>>, ProviderError> {
        let ctx = &self.ctx;
        if ctx.settings.login.mode == LoginMode::Headless {
            return Ok(ctx.directory().user(&ctx.settings.login.headless_user));
        }
        let Some(session) = session else {
            return Ok(None);
        };
        let hash = OpaqueToken::presented(session).hash();
        let record = ctx.store.find_session(hash.as_bytes(), ctx.now()).await?;
        Ok(record.and_then(|r| ctx.directory().user(&r.user_uid)))
    }
}

/// What a login flow remembers besides its browser (`docs/protocol.md#connect`,
/// `docs/protocol.md#authorization-endpoint`).
pub(crate) struct NewLoginFlow {
    pub destination: String,
    pub api_key_hash: Option<Vec<u8>>,
    pub lang: &'static str,
    pub authorization: Option<String>,
}

impl Context {
    /// Stores a login flow bound to the browser cookie `browser`, making that cookie when the
    /// browser has none; answers the flow's id and the new cookie value, if any.
    pub(crate) async fn start_login_flow(
        &self,
        flow: NewLoginFlow,
        browser: Option<&str>,
    ) -> Result<(String, Option<OpaqueToken>), Failure> {
        let new_browser = browser.is_none().then(OpaqueToken::generate);
        let browser = (new_browser.as_ref().map(OpaqueToken::as_str))
            .or(browser)
            .unwrap_or("");
        let now = self.now();
        let record = FlowRecord {
            id: OpaqueToken::generate().as_str().to_owned(),
            destination: flow.destination,
            api_key_hash: flow.api_key_hash,
            lang: flow.lang.to_owned(),
            browser_hash: TokenHash::of(browser.as_bytes()).0.to_vec(),
            expires_at: now + FLOW_TTL_SECONDS,
            authorization: flow.authorization,
        };
        self.housekeeping.wake_pruner_if_due(now);
        self.store
            .insert_flow(FlowKind::Login, &record, now)
            .await?;
        Ok((record.id, new_browser))
    }

    /// The destination rules (`docs/protocol.md#destinations`): `allowed`, plus loopback and
    /// `oob`.
    pub(crate) fn checked_destination(
        &self,
        raw: Option<&str>,
        allowed: &[AllowedDestination],
    ) -> Result<Destination, ProviderError> {
        let raw = raw
            .filter(|d| !d.is_empty())
            .ok_or_else(|| ProviderError::BadRequest(MISSING_DESTINATION.into()))?;
        Destination::check(raw, allowed).map_err(|why| {
            tracing::info!(why, "destination refused");
            crate::metrics::refused("destination");
            ProviderError::BadRequest(format!("The destination is not allowed: {why}."))
        })
    }
}

/// `nl`, `fr` or `de`; anything else is `nl` (`docs/protocol.md#connect`).
pub fn normalized_lang(lang: Option<&str>) -> &'static str {
    match lang {
        Some("fr") => "fr",
        Some("de") => "de",
        _ => "nl",
    }
}
