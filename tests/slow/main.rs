//! The slow reliability suite (`docs/reliability.md#slow-suite`): crashes, read-only databases,
//! shutdown under load, races and sustained writes, at a size that takes minutes. Every test is
//! `#[ignore]`d, so the README's `cargo test` skips them; `.ci/run` runs them reduced, as root:
//! `cargo test --test slow -- --ignored --test-threads=1`. `UITID_SLOW_SCALE=full` runs the
//! sizes `docs/reliability.md#coverage` names ([`scale`]).

// The integration suite's harness, shared rather than copied; this suite uses only part of it.
#[allow(dead_code, unused_imports)]
#[path = "../api/support/mod.rs"]
mod support;

mod database;
mod ext4_disk;
mod scale;

mod crash;
mod mixed_writes;
mod postgres_outage;
mod read_only;
mod refresh_tokens;
mod revocation_race;
mod shutdown;
