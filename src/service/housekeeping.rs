//! Pruning in the background (`docs/protocol.md#housekeeping`): expired login flows, SSO
//! sessions and refresh tokens, and refresh tokens revoked more than `database.keep_revoked`
//! ago, are deleted in batches of `database.prune_batch` rows, every `database.prune_interval`
//! and soon after a new flow arrives when the last prune is a minute old (by the emulator
//! clock, which may jump). No request waits for it; an expired refresh token is refused with
//! the same `invalid_grant` whether it was pruned yet or not.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::Notify;

use super::shared::SharedState;
use crate::config::DatabaseSettings;
use crate::store::Store;

/// A new flow wakes the pruner when the last wake-up is at least this old (emulator clock).
const WAKE_INTERVAL_SECONDS: i64 = 60;
/// Between two batches of one prune, so requests get the write lock in between.
const BATCH_PAUSE: Duration = Duration::from_millis(5);

pub(crate) struct Housekeeping {
    /// Emulator-clock second of the last wake-up.
    last_wake: AtomicI64,
    wake: Arc<Notify>,
}

impl Housekeeping {
    /// Starts the pruner; it stops when `shared` is dropped or the store closed.
    pub fn start(store: Store, shared: &Arc<SharedState>, settings: &DatabaseSettings) -> Self {
        let wake = Arc::new(Notify::new());
        let pruner = Pruner {
            store,
            shared: Arc::downgrade(shared),
            wake: wake.clone(),
            interval: settings.prune_interval,
            batch: i64::from(settings.prune_batch),
            keep_revoked: i64::try_from(settings.keep_revoked.as_secs()).unwrap_or(i64::MAX),
        };
        tokio::spawn(pruner.run());
        Self {
            last_wake: AtomicI64::new(i64::MIN),
            wake,
        }
    }

    /// Called where rows are added: wakes the pruner when the last wake-up is a minute old or
    /// the clock moved backwards. Never waits.
    pub fn wake_pruner_if_due(&self, now: i64) {
        let last = self.last_wake.load(Ordering::Relaxed);
        let due = last == i64::MIN || (now - last).abs() >= WAKE_INTERVAL_SECONDS;
        if due
            && self
                .last_wake
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.wake.notify_one();
        }
    }
}

struct Pruner {
    store: Store,
    shared: Weak<SharedState>,
    wake: Arc<Notify>,
    interval: Duration,
    batch: i64,
    keep_revoked: i64,
}

impl Pruner {
    async fn run(self) {
        loop {
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.interval) => {}
            }
            let Some(now) = self.shared.upgrade().map(|shared| shared.clock().now()) else {
                break;
            };
            if self.store.is_closed() {
                break;
            }
            if let Err(error) = self.prune(now).await {
                tracing::warn!("cannot prune expired rows: {error:#}");
            }
        }
    }

    /// Batches until one prunes less than a full batch of every kind.
    async fn prune(&self, now: i64) -> sqlx::Result<()> {
        let revoked_before = now.saturating_sub(self.keep_revoked);
        let mut total = 0;
        loop {
            let pruned = self
                .store
                .prune_expired(now, revoked_before, self.batch)
                .await?;
            total += pruned;
            if pruned < self.batch as u64 {
                break;
            }
            tokio::time::sleep(BATCH_PAUSE).await;
        }
        if total > 0 {
            tracing::debug!(rows = total, "pruned expired and long-revoked rows");
        }
        Ok(())
    }
}
