//! `/logout` and `/logout-confirm` (PROTOCOL.md 4.5): end the SSO session, then send the
//! browser to the destination stored in a server-side logout flow. Refresh tokens survive.

use std::sync::Arc;

use super::FLOW_TTL_SECONDS;
use crate::destination::Destination;
use crate::directory::ApiKey;
use crate::emulator::Emulator;
use crate::error::{Error, Result};
use crate::store::{FlowKind, FlowRecord};
use crate::token::OpaqueToken;

/// The logout flow's id, to be kept in a cookie until `/logout-confirm`.
pub struct LogoutStarted {
    pub flow: OpaqueToken,
}

impl Emulator {
    /// Upstream's `/logout` takes no API key, so without one any destination listed by some
    /// configured key is accepted (plus loopback and `oob`, never a key's `*`); with one, that
    /// key's list applies.
    pub async fn logout(
        &self,
        destination: Option<&str>,
        key: Option<Arc<ApiKey>>,
        session: Option<&str>,
    ) -> Result<LogoutStarted> {
        let allowed = match &key {
            Some(key) => &key.destinations,
            None => self.directory.keyless_logout_destinations(),
        };
        let destination = self.checked_destination(destination, allowed)?;
        if let Some(session) = session {
            self.store
                .delete_session(OpaqueToken::presented(session).hash().as_bytes())
                .await?;
        }
        let now = self.clock.now();
        let flow = OpaqueToken::generate();
        let record = FlowRecord {
            id: flow.hash().to_hex(),
            destination: destination.stored(),
            api_key_hash: None,
            lang: "nl".into(),
            browser_hash: flow.hash().0.to_vec(),
            expires_at: now + FLOW_TTL_SECONDS,
        };
        self.purge_expired_if_due(now).await?;
        self.store
            .insert_flow(FlowKind::Logout, &record, now)
            .await?;
        Ok(LogoutStarted { flow })
    }

    /// Where `/logout-confirm` redirects; `Rejected` (400, empty) without a live logout flow.
    pub async fn logout_confirm(&self, flow: Option<&str>) -> Result<String> {
        let Some(flow) = flow else {
            return Err(Error::Rejected);
        };
        let id = OpaqueToken::presented(flow).hash().to_hex();
        let record = self
            .store
            .take_flow(FlowKind::Logout, &id, self.clock.now())
            .await?;
        let record = record.ok_or(Error::Rejected)?;
        Ok(Destination::restore(&record.destination)?.plain(self.settings.public_base()))
    }
}
