//! Test support shared by several test binaries, tested here: the throwaway PostgreSQL of
//! `tests/common/postgres.rs`.

#[path = "../common/postgres.rs"]
mod postgres;

mod throwaway_postgres;
