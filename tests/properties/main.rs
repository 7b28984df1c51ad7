//! Property tests (`docs/reliability.md#hostile-input`, `#open-redirects`): generated hostile
//! input against the destination rules, the strict parameter parser, the Entry API check and
//! the provider routes driven in-process. Every property is judged by an independent reading
//! (`oracle.rs`, `form.rs`, the `rsa` crate), never by the code under test.
//!
//! The case counts keep the whole target to a few seconds in a debug build; ask for more with
//! `PROPTEST_CASES=10000 cargo test --test properties` (every property then runs that many).
//! Failures are not persisted: proptest prints the minimal failing input, which belongs in a
//! table-driven test beside the code it breaks.

mod forge;
mod form;
mod mutations;
mod oracle;
mod support;
mod tokens;
mod urls;

mod destinations;
mod entry_api;
mod headers;
mod login;
mod params;
mod redirects;
mod token_kinds;
mod user;
