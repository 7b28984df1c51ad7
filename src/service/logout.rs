//! `/logout` and `/logout-confirm` (`docs/protocol.md#logout`): end the SSO session, then send the
//! browser to the destination stored in a server-side logout flow. Refresh tokens survive.

use std::sync::Arc;

use super::{Context, FLOW_TTL_SECONDS};
use crate::destination::Destination;
use crate::error::ProviderError;
use crate::model::ApiKey;
use crate::secret::OpaqueToken;
use crate::store::{FlowKind, FlowRecord};

/// The logout flow's id, to be kept in a cookie until `/logout-confirm`.
pub struct LogoutStarted {
    pub flow: OpaqueToken,
}

/// `/logout` and `/logout-confirm`.
pub struct LogoutService {
    ctx: Arc<Context>,
}

impl LogoutService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// Upstream's `/logout` takes no API key, so without one any destination listed by some
    /// configured key is accepted (plus loopback and `oob`, never a key's `*`); with one, that
    /// key's list applies.
    pub async fn start(
        &self,
        destination: Option<&str>,
        key: Option<Arc<ApiKey>>,
        session: Option<&str>,
    ) -> Result<LogoutStarted, ProviderError> {
        let ctx = &self.ctx;
        let directory = ctx.directory();
        let allowed = match &key {
            Some(key) => &key.destinations,
            None => directory.keyless_logout_destinations(),
        };
        let destination = ctx.checked_destination(destination, allowed)?;
        if let Some(session) = session {
            ctx.store
                .delete_session(OpaqueToken::presented(session).hash().as_bytes())
                .await?;
        }
        let now = ctx.now();
        let flow = OpaqueToken::generate();
        let record = FlowRecord {
            id: flow.hash().to_hex(),
            destination: destination.stored(),
            api_key_hash: None,
            lang: "nl".into(),
            browser_hash: flow.hash().0.to_vec(),
            expires_at: now + FLOW_TTL_SECONDS,
            authorization: None,
        };
        ctx.housekeeping.wake_pruner_if_due(now);
        ctx.store
            .insert_flow(FlowKind::Logout, &record, now)
            .await?;
        Ok(LogoutStarted { flow })
    }

    /// Where `/logout-confirm` redirects; `Rejected` (400, empty) without a live logout flow.
    pub async fn confirm(&self, flow: Option<&str>) -> Result<String, ProviderError> {
        let ctx = &self.ctx;
        let Some(flow) = flow else {
            return Err(ProviderError::Rejected);
        };
        let id = OpaqueToken::presented(flow).hash().to_hex();
        let record = ctx
            .store
            .take_flow(FlowKind::Logout, &id, ctx.now())
            .await?;
        let record = record.ok_or(ProviderError::Rejected)?;
        Ok(Destination::restore(&record.destination)?.plain(ctx.settings.public_base()))
    }
}
