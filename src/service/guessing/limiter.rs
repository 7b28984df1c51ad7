//! One failure budget per key (a client address, an API key) on governor's GCRA: `burst`
//! failures in a row, then one more per `replenish` interval. Memory stays bounded
//! (`docs/reliability.md#guessing`): [`FailureLimiter::upkeep`] forgets keys whose budget is
//! whole again, and once `cap` keys are tracked, keys not yet tracked share one budget.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};

use super::look::{LookableStore, Probe};

/// A key with a budget of its own, or `None`: the budget shared by keys that found no room.
type Slot<K> = Option<K>;
/// governor's keyed limiter over the budgets, which can be looked at without spending.
type Gcra<K, C> =
    RateLimiter<Probe<Slot<K>>, LookableStore<Slot<K>>, C, NoOpMiddleware<<C as Clock>::Instant>>;

pub(super) struct FailureLimiter<K: Hash + Eq + Clone, C: Clock = DefaultClock> {
    limiter: Gcra<K, C>,
    budgets: Arc<DashMapStateStore<Slot<K>>>,
    cap: usize,
}

impl<K: Hash + Eq + Clone, C: Clock> FailureLimiter<K, C> {
    pub fn new(burst: u32, replenish: Duration, cap: usize, clock: C) -> Self {
        // Both are validated (`config::RateLimitSettings`); the fallbacks only keep settings
        // an embedding built by hand from panicking.
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(replenish)
            .unwrap_or(Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        let budgets = Arc::new(DashMapStateStore::default());
        let limiter = RateLimiter::new(quota, LookableStore(budgets.clone()), clock);
        Self {
            limiter,
            budgets,
            cap,
        }
    }

    /// If `key` has no failure left now, how long until it has one. Spends nothing.
    pub fn look(&self, key: &K) -> Option<Duration> {
        self.decide(key, true)
    }

    /// Spends one failure of `key`'s budget, or, when none is left, says how long until one is
    /// (and spends nothing).
    pub fn fail(&self, key: &K) -> Option<Duration> {
        self.decide(key, false)
    }

    fn decide(&self, key: &K, look_only: bool) -> Option<Duration> {
        let key = self.slot(key);
        let refused = self.limiter.check_key(&Probe { key, look_only }).err()?;
        Some(refused.wait_time_from(self.limiter.clock().now()))
    }

    /// `key` when it is tracked or there is room for it, else the shared budget. The count is
    /// read without a lock, so concurrent failures may overshoot `cap` by a few keys.
    fn slot(&self, key: &K) -> Slot<K> {
        let key = Some(key.clone());
        if self.budgets.len() < self.cap || self.budgets.contains_key(&key) {
            key
        } else {
            None
        }
    }

    /// Forgets keys whose budget is whole again: they are no different from a new key.
    pub fn upkeep(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// How many keys (the shared budget included) are tracked.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.limiter.len()
    }
}
