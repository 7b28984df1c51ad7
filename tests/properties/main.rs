//! Property tests (`docs/reliability.md#hostile-input`): generated hostile input against the
//! strict parameter parser, judged by an independent reading (`form.rs`), never by the code
//! under test.
//!
//! The case counts keep the whole target to a few seconds in a debug build; ask for more with
//! `PROPTEST_CASES=10000 cargo test --test properties` (every property then runs that many).
//! Failures are not persisted: proptest prints the minimal failing input, which belongs in a
//! table-driven test beside the code it breaks.

mod form;
mod support;

mod params;
