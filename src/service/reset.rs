//! `POST /_emulator/reset` (`docs/protocol.md#control-plane`): test isolation in one call. The
//! configured users, keys and clients are written again (undoing runtime changes to them) and everything
//! a test may have left behind is dropped; the signing keys stay, so tokens' `kid`s and the
//! published keys do not change between tests.

use std::sync::Arc;

use super::Context;
use super::accounts::{key_row, user_row};
use super::client_rows::client_row;
use crate::error::ControlError;

pub struct ResetService {
    ctx: Arc<Context>,
}

impl ResetService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn reset(&self) -> Result<(), ControlError> {
        let ctx = &self.ctx;
        ctx.store.reset().await?;
        let users: Vec<_> = ctx
            .settings
            .users
            .iter()
            .map(|u| user_row(u, true))
            .collect();
        let keys: Vec<_> = ctx
            .settings
            .api_keys
            .iter()
            .map(|k| key_row(k, true))
            .collect();
        ctx.store.seed_accounts(&users, &keys).await?;
        let clients: Vec<_> = ctx
            .settings
            .clients
            .iter()
            .map(|c| client_row(c, true))
            .collect();
        ctx.store.seed_clients(&clients).await?;
        ctx.reload().await?;
        ctx.journal.clear();
        tracing::info!("emulator reset to its configured state");
        Ok(())
    }
}
