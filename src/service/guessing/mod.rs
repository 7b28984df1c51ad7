//! Rate limits on guessing (`docs/reliability.md#guessing`, `docs/protocol.md#rate-limits`):
//! failed refreshes and logins spend a budget per client address and per API key, and beyond
//! it the answer is 429 with `Retry-After`. Only failures spend. When to ask is the use case's
//! choice: `/refresh` only once a request has failed, the login form also before it checks a
//! password. Budgets run on real time, not the emulator's movable clock.

mod address;
mod limiter;
mod look;
#[cfg(test)]
mod tests;

use std::net::IpAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use governor::clock::DefaultClock;

use crate::config::RateLimitSettings;
use crate::error::TooManyFailures;
use crate::model::{ApiKey, OAuthClient};
use crate::secret::TokenHash;
use limiter::FailureLimiter;

/// Budgets of addresses that failed this long ago are whole again and forgotten.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(30);
/// At most this many addresses have a budget of their own (a few MiB); beyond it, new ones
/// share one until upkeep makes room.
const MAX_TRACKED_ADDRESSES: usize = 100_000;
/// Only known keys and clients are tracked; the cap only bounds those deleted since the last
/// upkeep.
const MAX_TRACKED_KEYS: usize = 10_000;

/// Who is attempting: the TCP peer (`None` when unknown, e.g. a router driven without a
/// server) and the account the attempt is for (a refresh's key, the key that started a login,
/// the OAuth2 client that authenticates).
#[derive(Clone, Copy)]
pub struct Attempt<'a> {
    pub peer: Option<IpAddr>,
    pub key: Option<Account<'a>>,
}

/// A known API key or OAuth2 client, whose failures share one budget over all addresses.
/// Only known ones get a budget, which keeps their number bounded.
#[derive(Clone, Copy)]
pub struct Account<'a> {
    id: TokenHash,
    name: &'a str,
}

impl<'a> From<&'a ApiKey> for Account<'a> {
    fn from(key: &'a ApiKey) -> Self {
        Self {
            id: key.hash,
            name: &key.name,
        }
    }
}

impl<'a> From<&'a OAuthClient> for Account<'a> {
    fn from(client: &'a OAuthClient) -> Self {
        // Hashed with a prefix, so no client id can share an API key's budget.
        let id = TokenHash::of(format!("client\0{}", client.client_id).as_bytes());
        Self {
            id,
            name: &client.name,
        }
    }
}

/// The failure budgets; a no-op when `rate_limits.enabled` is false.
pub(crate) struct Guessing(Option<Arc<Limits>>);

struct Limits {
    by_address: FailureLimiter<IpAddr>,
    by_key: FailureLimiter<TokenHash>,
    exempt_loopback: bool,
}

impl Guessing {
    /// The limiters, with a task that forgets whole budgets until they are dropped.
    pub fn start(settings: &RateLimitSettings) -> Self {
        if !settings.enabled {
            return Self(None);
        }
        let limits = Arc::new(Limits {
            by_address: FailureLimiter::new(
                settings.address_burst,
                settings.address_replenish,
                MAX_TRACKED_ADDRESSES,
                DefaultClock::default(),
            ),
            by_key: FailureLimiter::new(
                settings.key_burst,
                settings.key_replenish,
                MAX_TRACKED_KEYS,
                DefaultClock::default(),
            ),
            exempt_loopback: settings.exempt_loopback,
        });
        keep_bounded(Arc::downgrade(&limits));
        Self(Some(limits))
    }

    /// 429 when the attempt's address or key has no failure left; spends nothing. For checks
    /// a guess could pass (passwords): asked before checking.
    pub fn check(&self, attempt: Attempt<'_>) -> Result<(), TooManyFailures> {
        let Some(limits) = self.limits_for(attempt) else {
            return Ok(());
        };
        if let Some(wait) = attempt
            .peer
            .and_then(|ip| limits.by_address.look(&address::key(ip)))
        {
            return Err(refuse("address", wait, attempt));
        }
        if let Some(wait) = attempt.key.and_then(|key| limits.by_key.look(&key.id)) {
            return Err(refuse("api_key", wait, attempt));
        }
        Ok(())
    }

    /// Spends one failure of the address's budget, then of the key's; 429 when one has none
    /// left. A refused address spends nothing of the key's, so a blocked client cannot wear
    /// down the budget other clients of its key share.
    pub fn failed(&self, attempt: Attempt<'_>) -> Result<(), TooManyFailures> {
        let Some(limits) = self.limits_for(attempt) else {
            return Ok(());
        };
        if let Some(wait) = attempt
            .peer
            .and_then(|ip| limits.by_address.fail(&address::key(ip)))
        {
            return Err(refuse("address", wait, attempt));
        }
        if let Some(wait) = attempt.key.and_then(|key| limits.by_key.fail(&key.id)) {
            return Err(refuse("api_key", wait, attempt));
        }
        Ok(())
    }

    /// The limits that apply to this attempt: none when disabled or for an exempt loopback peer.
    fn limits_for(&self, attempt: Attempt<'_>) -> Option<&Limits> {
        let limits = self.0.as_deref()?;
        let loopback = attempt
            .peer
            .is_some_and(|ip| ip.to_canonical().is_loopback());
        (!(limits.exempt_loopback && loopback)).then_some(limits)
    }
}

/// The 429, logged and counted; `Retry-After` is whole seconds, rounded up, at least 1.
fn refuse(limit: &'static str, wait: Duration, attempt: Attempt<'_>) -> TooManyFailures {
    let retry_after = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let retry_after = retry_after.max(1);
    let client = attempt.peer.map(|ip| ip.to_string());
    let key = attempt.key.map(|k| k.name);
    tracing::info!(
        limit,
        retry_after,
        client,
        key,
        "too many failures: refused"
    );
    crate::metrics::refused("too_many_failures");
    TooManyFailures { retry_after }
}

/// Forgets whole budgets every [`UPKEEP_INTERVAL`] until the limits are dropped.
fn keep_bounded(limits: Weak<Limits>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(UPKEEP_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(limits) = limits.upgrade() else {
                break;
            };
            limits.by_address.upkeep();
            limits.by_key.upkeep();
        }
    });
}
