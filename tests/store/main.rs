//! The store's conformance suite: every case runs against both backends, SQLite (a file in a
//! temporary directory) and PostgreSQL (a fresh database on a real server:
//! `tests/common/postgres.rs`), so the two implementations of `operations.rs` behave the same
//! (`docs/architecture.md#storage`). Each case gets an empty database and may open it more than
//! once, as replicas do.

#[path = "../common/postgres.rs"]
mod throwaway_postgres;

mod accounts;
mod chains;
mod clients;
mod codes;
mod faults;
mod flows;
mod keys;
mod state;
mod tls;
mod tokens;

mod rows;

use uitid_emulator::store::Store;

pub use rows::*;

/// One empty database of either backend, alive as long as this is.
pub struct Database {
    url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    _postgres: Option<throwaway_postgres::TestDatabase>,
}

impl Database {
    async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Self {
            url: format!("sqlite://{}", dir.path().join("store.db").display()),
            _sqlite_dir: Some(dir),
            _postgres: None,
        }
    }

    async fn postgres() -> Self {
        let database = throwaway_postgres::fresh_database().await;
        Self {
            url: database.url.clone(),
            _sqlite_dir: None,
            _postgres: Some(database),
        }
    }

    /// A new connection pool on this database, migrated: another process's view of it.
    pub async fn open(&self) -> Store {
        Store::connect(&self.url).await.expect("the store opens")
    }
}

/// `backend::module::case` for both backends, from one list of cases.
macro_rules! conformance {
    ($($module:ident: [$($case:ident),* $(,)?]),* $(,)?) => {
        mod sqlite {
            $(mod $module { $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::$module::$case(crate::Database::sqlite().await).await;
                }
            )* })*
        }
        mod postgres {
            $(mod $module { $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::$module::$case(crate::Database::postgres().await).await;
                }
            )* })*
        }
    };
}

conformance! {
    tokens: [
        stored_tokens_are_found_by_hash_only,
        ids_are_never_handed_out_twice,
        revoking_one_token_says_whether_it_exists_and_was_live,
        revoking_by_filter_counts_only_live_matches,
    ],
    codes: [
        a_code_is_redeemed_once_and_a_replay_revokes_its_chain,
        unknown_and_expired_codes_are_nothing,
        of_two_replicas_redeeming_one_code_at_once_exactly_one_gets_it,
        reset_deletes_codes_and_retired_tokens,
        pruning_removes_old_codes_and_the_retired_tokens_of_ended_chains,
    ],
    chains: [
        of_two_replicas_rotating_one_token_at_once_exactly_one_wins,
        a_retired_token_is_found_with_its_chain_as_it_is_now,
        revoking_a_chain_says_whether_it_was_live_and_why,
        a_session_chain_is_live_only_for_its_session_and_client_until_it_ends,
        ending_a_session_revokes_its_chains_but_offline_ones,
    ],
    flows: [
        flows_expire_and_are_taken_once,
        finishing_a_login_is_atomic_and_once,
        sessions_expire_and_are_replaced,
        purging_drops_only_what_expired,
    ],
    clients: [
        seeding_makes_configured_clients_exactly_the_configuration,
        runtime_clients_are_created_replaced_and_deleted,
        reset_keeps_only_configured_clients,
    ],
    accounts: [
        seeding_makes_configured_accounts_exactly_the_configuration,
        nicks_clash_ignoring_ascii_case_only,
        runtime_accounts_list_in_creation_order,
        deleting_an_owner_revokes_its_tokens,
    ],
    keys: [
        replicas_installing_at_once_agree_on_one_key,
        rotation_retires_the_old_key,
    ],
    state: [
        every_runtime_change_moves_the_version,
        the_clock_is_shared,
        reset_keeps_configuration_and_keys,
    ],
    tls: [
        replicas_installing_at_once_agree_on_one_ca,
        a_new_server_certificate_keeps_the_ca_and_replaces_only_the_one_seen,
        reset_keeps_the_tls_material,
    ],
    faults: [
        faults_match_route_key_user_and_token,
        a_fault_is_used_exactly_times_across_replicas,
        token_endpoint_faults_match_their_client,
        deleting_and_clearing_faults,
    ],
}
