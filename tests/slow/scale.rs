//! How big the slow tests run: reduced by default (`.ci/run`, a couple of minutes on two cores),
//! full with `UITID_SLOW_SCALE=full` (the sizes of `docs/reliability.md#coverage`).

use std::time::Duration;

const VARIABLE: &str = "UITID_SLOW_SCALE";

/// Whether `UITID_SLOW_SCALE=full`; anything but `full`, `reduced` or unset is a mistake worth
/// stopping for (a typo would silently run the small size).
pub fn is_full() -> bool {
    match std::env::var(VARIABLE).as_deref() {
        Ok("full") => true,
        Ok("reduced") | Err(_) => false,
        Ok(other) => panic!("{VARIABLE}={other:?}: use `full` or `reduced`"),
    }
}

/// `reduced` or `full`, announced so the test's output says which size ran.
pub fn size(what: &str, reduced: usize, full: usize) -> usize {
    let (name, size) = if is_full() {
        ("full", full)
    } else {
        ("reduced", reduced)
    };
    eprintln!("{what}: {size} ({name} size)");
    size
}
/// A duration in seconds, like [`size`].
pub fn seconds(what: &str, reduced: u64, full: u64) -> Duration {
    Duration::from_secs(size(what, reduced as usize, full as usize) as u64)
}
