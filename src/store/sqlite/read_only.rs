//! Connections that cannot write any more (`docs/reliability.md#crashes-and-restarts`). SQLite
//! opens a file it cannot write at that moment (a read-only file or filesystem, an immutable
//! flag) read-only without saying so, the database file or only its WAL, and the connection
//! stays so after the file is writable again: a pool that kept it would fail writes long after
//! the database recovered. No cheap check finds such a connection; a write failing with
//! SQLITE_READONLY does. That error reaches `error::Failure` far from its connection, so it is
//! noted here, process-wide, and every connection that was open at that moment is closed when
//! it comes back to the pool (healthy ones too: the next request simply opens a new one).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// When a write last failed as read-only: nanoseconds since [`epoch`], plus one (0: never).
static LAST_FAILURE: AtomicU64 = AtomicU64::new(0);

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now() -> u64 {
    u64::try_from(epoch().elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// A write failed because SQLite found the database read-only.
pub fn note_read_only_failure() {
    LAST_FAILURE.fetch_max(now() + 1, Ordering::AcqRel);
}

/// Whether a connection `age` old was already open at the last read-only failure.
pub(super) fn open_at_last_failure(age: Duration) -> bool {
    let last = LAST_FAILURE.load(Ordering::Acquire);
    let opened = now().saturating_sub(u64::try_from(age.as_nanos()).unwrap_or(u64::MAX));
    last != 0 && opened < last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_open_at_a_failure_are_marked_and_later_ones_are_not() {
        // Milliseconds apart, so the test does not depend on how fast the clock is read.
        let before = Instant::now();
        std::thread::sleep(Duration::from_millis(5));
        note_read_only_failure();
        std::thread::sleep(Duration::from_millis(5));

        assert!(
            open_at_last_failure(before.elapsed()),
            "open at the failure"
        );
        assert!(!open_at_last_failure(Duration::ZERO), "opened after it");
    }
}
