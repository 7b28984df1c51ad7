//! Readiness (`docs/protocol.md#operations`): can this process issue tokens right now?

use std::sync::Arc;

use super::Context;

pub struct HealthService {
    ctx: Arc<Context>,
}

impl HealthService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// Whether the database accepts a write now; the error says why not.
    pub async fn database_writable(&self) -> anyhow::Result<()> {
        self.ctx.store.probe_writable().await
    }
}
