//! The login form (`docs/protocol.md#login`): a CSRF token bound to the browser that started the
//! flow, the credentials check, and the atomic finish (flow consumed, new session, refresh token).

use std::net::IpAddr;
use std::sync::Arc;

use super::authorization::{AuthorizationRequest, error_url};
use super::guessing::Attempt;
use super::user_login::new_sid;
use super::{Context, SESSION_TTL_SECONDS};
use crate::destination::Destination;
use crate::error::ProviderError;
use crate::model::{ApiKey, User};
use crate::secret::{OpaqueToken, TokenHash};
use crate::store::{FlowKind, FlowRecord, SessionRecord};

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
    /// The client's address, for the rate limit on guessing.
    pub peer: Option<IpAddr>,
}

pub enum SubmitOutcome {
    WrongCredentials(LoginPage),
    /// Cancelled at the authorization endpoint's form: back to the client with
    /// `access_denied`, as Keycloak does.
    Declined {
        redirect: String,
    },
    LoggedIn {
        redirect: String,
        session: OpaqueToken,
        /// uid of the user who logged in.
        user: String,
        /// The API key that started the flow, if it is still known.
        key: Option<Arc<ApiKey>>,
        /// The OAuth2 client, for a login started at the authorization endpoint.
        client: Option<String>,
    },
}

/// `/login`: the form of a live flow, and its submission. Cheap to clone (one `Arc`), so a
/// submission can run in a task of its own.
#[derive(Clone)]
pub struct LoginService {
    ctx: Arc<Context>,
}

impl LoginService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// The form for a flow, if the flow is live.
    pub async fn page(
        &self,
        flow_id: &str,
        browser: Option<&str>,
    ) -> Result<LoginPage, ProviderError> {
        let flow = self.live_flow(flow_id).await?;
        Ok(self.page_for(&flow, browser.unwrap_or(""), "", false))
    }

    pub async fn submit(&self, form: LoginSubmission<'_>) -> Result<SubmitOutcome, ProviderError> {
        let flow = self.live_flow(form.flow_id).await?;
        let browser = form.browser.unwrap_or("");
        let bound = TokenHash::of(browser.as_bytes()).0.as_slice() == flow.browser_hash.as_slice();
        if !bound || form.csrf != csrf_token(browser, &flow.id) {
            crate::metrics::refused("csrf");
            tracing::warn!("login form refused: CSRF token or browser binding does not match");
            return Err(ProviderError::Forbidden(
                "The login form could not be verified (CSRF). Start again.".into(),
            ));
        }
        if form.action == LoginAction::Cancel {
            self.ctx.store.delete_flow(&flow.id).await?;
            return match authorization(&flow)? {
                Some(request) => Ok(SubmitOutcome::Declined {
                    redirect: error_url(
                        &request.redirect_uri,
                        request.state.as_deref(),
                        self.ctx.tokens.oauth_issuer(),
                        "access_denied",
                        "The user cancelled the login.",
                    ),
                }),
                None => Err(ProviderError::Rejected),
            };
        }
        // A password can be guessed: once the budget is spent, refuse before checking it, so a
        // blocked guesser cannot tell a right password from a wrong one; a right one spends
        // nothing (`docs/reliability.md#guessing`).
        let key = self.flow_key(&flow);
        let attempt = Attempt {
            peer: form.peer,
            key: key.as_deref().map(Into::into),
        };
        self.ctx.password_guesses.check(attempt)?;
        let user = self
            .ctx
            .directory()
            .user_by_login(form.username)
            .filter(|u| u.password_matches(form.password));
        let Some(user) = user else {
            tracing::info!("login refused: wrong username or password");
            crate::metrics::refused("wrong_credentials");
            self.ctx.password_guesses.failed(attempt)?;
            let page = self.page_for(&flow, browser, form.username, true);
            return Ok(SubmitOutcome::WrongCredentials(page));
        };
        self.finish_login(&flow, &user, key, form.old_session).await
    }

    /// The key that started the flow, if it is still configured.
    fn flow_key(&self, flow: &FlowRecord) -> Option<Arc<ApiKey>> {
        let hash = TokenHash(flow.api_key_hash.as_deref()?.try_into().ok()?);
        self.ctx.directory().api_key_by_hash(&hash)
    }

    async fn finish_login(
        &self,
        flow: &FlowRecord,
        user: &User,
        key: Option<Arc<ApiKey>>,
        old_session: Option<&str>,
    ) -> Result<SubmitOutcome, ProviderError> {
        let ctx = &self.ctx;
        let now = ctx.now();
        let session = OpaqueToken::generate();
        let record = SessionRecord {
            id_hash: session.hash().0.to_vec(),
            user_uid: user.uid.clone(),
            created_at: now,
            expires_at: now + SESSION_TTL_SECONDS,
            sid: new_sid(),
        };
        let old = old_session.map(|s| OpaqueToken::presented(s).hash().0);
        if let Some(request) = authorization(flow)? {
            // One login serves both worlds: the same form and session, ending in a code.
            let issued = ctx.new_code(&request, &user.uid, &record.sid, now);
            let finished = (ctx.store)
                .finish_login(&flow.id, now, old, &record, None, Some(&issued.record))
                .await?;
            if !finished {
                return Err(flow_gone());
            }
            return Ok(SubmitOutcome::LoggedIn {
                redirect: ctx.code_response(&request, &issued.code, &record.sid),
                session,
                user: user.uid.clone(),
                key: None,
                client: Some(request.client_id),
            });
        }
        // The key decides at the end whether a refresh token is issued (new_refresh_token
        // checks its permission), so the flow only needs to remember which key started it.
        let refresh = ctx.new_refresh_token(user, key.as_deref(), now);
        let finished = ctx
            .store
            .finish_login(
                &flow.id,
                now,
                old,
                &record,
                refresh.as_ref().map(|r| &r.1),
                None,
            )
            .await?;
        if !finished {
            return Err(flow_gone());
        }
        let jwt = ctx.tokens.access_token(user, now)?;
        let destination = Destination::restore(&flow.destination)?;
        let refresh = refresh.as_ref().map(|r| r.0.as_str());
        let redirect = destination.with_tokens(ctx.settings.public_base(), &jwt, refresh);
        Ok(SubmitOutcome::LoggedIn {
            redirect,
            session,
            user: user.uid.clone(),
            key,
            client: None,
        })
    }

    async fn live_flow(&self, flow_id: &str) -> Result<FlowRecord, ProviderError> {
        let ctx = &self.ctx;
        ctx.store
            .find_flow(FlowKind::Login, flow_id, ctx.now())
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
            users: self.ctx.directory().users().to_vec(),
            username: username.to_owned(),
            failed,
        }
    }
}

/// The authorization request of a flow the authorization endpoint started.
fn authorization(flow: &FlowRecord) -> Result<Option<AuthorizationRequest>, ProviderError> {
    let Some(json) = flow.authorization.as_deref() else {
        return Ok(None);
    };
    let request = serde_json::from_str(json).map_err(anyhow::Error::from)?;
    Ok(Some(request))
}

fn flow_gone() -> ProviderError {
    ProviderError::BadRequest(
        "This login is unknown, was already used, or has expired. Start again from the application \
         that sent you here."
            .into(),
    )
}

/// Bound to the browser: derived from the secret browser cookie, which another site cannot read.
fn csrf_token(browser: &str, flow_id: &str) -> String {
    TokenHash::csrf("csrf", &[browser, flow_id])
}
