//! What every property shares: its configuration.

use proptest::test_runner::Config;

/// `cases` cases unless `PROPTEST_CASES` asks for another number; no regression files, so a
/// run leaves nothing behind in the worktree.
pub fn config(cases: u32) -> Config {
    let default = Config::default();
    let asked = std::env::var_os("PROPTEST_CASES").is_some();
    Config {
        cases: if asked { default.cases } else { cases },
        failure_persistence: None,
        ..default
    }
}
