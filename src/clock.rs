//! The emulator's clock: wall time plus an offset tests can move, so expiry can be tested in
//! seconds instead of hours. Everything that issues or checks a token reads it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    /// Unix seconds as the emulator sees them.
    pub fn now(&self) -> i64 {
        wall_seconds() + self.offset()
    }

    pub fn offset(&self) -> i64 {
        self.offset_seconds.load(Ordering::Relaxed)
    }

    pub fn set_offset(&self, seconds: i64) {
        self.offset_seconds.store(seconds, Ordering::Relaxed);
    }

    pub fn advance(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }

    /// Makes the clock read `unix_seconds` now.
    pub fn set_now(&self, unix_seconds: i64) {
        self.set_offset(unix_seconds - wall_seconds());
    }
}

fn wall_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
