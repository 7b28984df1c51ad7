//! `[rate_limits]`: how many failed refreshes and logins a client address and an API key may
//! make before they are answered 429 (`docs/protocol.md#rate-limits`). Only failures count;
//! why each route checks where it does is in `docs/reliability.md#guessing`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A burst beyond this, or an interval beyond [`MAX_REPLENISH`], makes no sense for guessing
/// and would overflow the limiter's nanosecond arithmetic (burst × interval).
const MAX_BURST: u32 = 10_000;
const MAX_REPLENISH: Duration = Duration::from_secs(3600);
const MIN_REPLENISH: Duration = Duration::from_millis(1);

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSettings {
    /// `false`: failures are neither counted nor refused.
    pub enabled: bool,
    /// Failures one client address (an IPv6 client: its /64) may make in a row.
    pub address_burst: u32,
    /// After the burst, one more failure per this interval.
    #[serde(with = "humantime_serde")]
    pub address_replenish: Duration,
    /// Failures against one API key, from all addresses together.
    pub key_burst: u32,
    #[serde(with = "humantime_serde")]
    pub key_replenish: Duration,
    /// `true`: loopback clients (`127.0.0.0/8`, `::1`) are never counted nor refused.
    pub exempt_loopback: bool,
}

impl RateLimitSettings {
    pub(super) fn validate(&self) -> Result<(), String> {
        for (name, burst) in [
            ("address_burst", self.address_burst),
            ("key_burst", self.key_burst),
        ] {
            if !(1..=MAX_BURST).contains(&burst) {
                return Err(format!(
                    "key `rate_limits.{name}`: must be 1 to {MAX_BURST}"
                ));
            }
        }
        for (name, every) in [
            ("address_replenish", self.address_replenish),
            ("key_replenish", self.key_replenish),
        ] {
            if !(MIN_REPLENISH..=MAX_REPLENISH).contains(&every) {
                return Err(format!("key `rate_limits.{name}`: must be 1ms to 1h"));
            }
        }
        Ok(())
    }
}
