//! Expired login flows, SSO sessions and refresh tokens are purged at most once a minute (by the
//! emulator clock), on the paths that add rows, so the tables stay small without a write per
//! request. An expired refresh token is refused with the same `invalid_grant` either way.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::store::Store;

/// Expired flows and sessions are dropped at most this often, not on every write.
const PURGE_INTERVAL_SECONDS: i64 = 60;

pub(crate) struct Housekeeping {
    /// Emulator-clock second of the last purge.
    last_purge: AtomicI64,
}

impl Default for Housekeeping {
    fn default() -> Self {
        Self {
            last_purge: AtomicI64::new(i64::MIN),
        }
    }
}

impl Housekeeping {
    /// Purges when the last purge is a minute old; the clock may also have moved backwards.
    pub async fn purge_expired_if_due(&self, store: &Store, now: i64) -> sqlx::Result<()> {
        let last = self.last_purge.load(Ordering::Relaxed);
        let due = last == i64::MIN || (now - last).abs() >= PURGE_INTERVAL_SECONDS;
        // Only the caller that moves the mark purges; concurrent callers go on.
        if due
            && self
                .last_purge
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            store.purge_expired(now).await?;
        }
        Ok(())
    }
}
