//! The emulator's clock: wall time plus an offset tests can move, or a moment time stands still
//! at, so expiry can be tested in seconds instead of hours and tokens can be reproduced byte for
//! byte. Everything that issues or checks a token reads it. The setting itself is shared through
//! the database (`service::ClockService` changes it); this is each process's cached copy.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Stored in `frozen_at` while time runs.
const RUNNING: i64 = i64::MIN;

/// The moments the clock may be set to read (`docs/protocol.md#control-plane`): the unix epoch to
/// the last second of the year 9999, RFC 3339's range. Every time derived from `now` (expiry,
/// lifetimes, offsets) is a sum with it, so this bound keeps those sums far from overflowing.
pub const SETTABLE: std::ops::RangeInclusive<i64> = 0..=253_402_300_799;

#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
    frozen_at: AtomicI64,
}

/// What the clock is set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClockSetting {
    /// Seconds added to wall time while time runs.
    pub offset_seconds: i64,
    /// The unix second time stands still at, if frozen.
    pub frozen_at: Option<i64>,
}

impl Clock {
    pub fn new(setting: ClockSetting) -> Self {
        let clock = Self::default();
        clock.set(setting);
        clock
    }

    /// Unix seconds as the emulator sees them.
    pub fn now(&self) -> i64 {
        self.setting().now()
    }

    pub fn setting(&self) -> ClockSetting {
        let frozen_at = self.frozen_at.load(Ordering::Relaxed);
        ClockSetting {
            offset_seconds: self.offset_seconds.load(Ordering::Relaxed),
            frozen_at: (frozen_at != RUNNING).then_some(frozen_at),
        }
    }

    pub fn set(&self, setting: ClockSetting) {
        self.offset_seconds
            .store(setting.offset_seconds, Ordering::Relaxed);
        let frozen_at = setting.frozen_at.unwrap_or(RUNNING);
        self.frozen_at.store(frozen_at, Ordering::Relaxed);
    }
}

impl ClockSetting {
    pub fn now(&self) -> i64 {
        self.frozen_at
            .unwrap_or_else(|| wall_seconds() + self.offset_seconds)
    }

    /// Moved by `seconds`; a frozen clock stays frozen at the new moment.
    pub fn advanced(self, seconds: i64) -> Self {
        self.at(self.now().saturating_add(seconds))
    }

    /// Reading `unix_seconds` now; a frozen clock stays frozen there.
    pub fn at(self, unix_seconds: i64) -> Self {
        Self {
            offset_seconds: unix_seconds - wall_seconds(),
            frozen_at: self.frozen_at.map(|_| unix_seconds),
        }
    }

    /// Stopped at the current moment, or running again from the moment it stood at.
    pub fn frozen(self, frozen: bool) -> Self {
        let now = self.now();
        Self {
            offset_seconds: now - wall_seconds(),
            frozen_at: frozen.then_some(now),
        }
    }
}

pub fn wall_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_clock_stands_still_moves_only_when_advanced_and_resumes_where_it_stood() {
        let frozen = ClockSetting::default().at(1_000).frozen(true);
        assert_eq!(frozen.now(), 1_000);
        assert_eq!(frozen.advanced(60).now(), 1_060);
        assert_eq!(
            frozen.advanced(60).frozen_at,
            Some(1_060),
            "advancing keeps it frozen"
        );
        let resumed = frozen.frozen(false);
        assert!(resumed.frozen_at.is_none());
        assert!(
            (resumed.now() - 1_000).abs() <= 1,
            "time runs on from where it stood"
        );
    }

    #[test]
    fn a_running_clock_is_wall_time_plus_its_offset() {
        let running = ClockSetting {
            offset_seconds: 3_600,
            frozen_at: None,
        };
        assert!((running.now() - wall_seconds() - 3_600).abs() <= 1);
        assert_eq!(running.at(42).now(), 42);
    }
}
