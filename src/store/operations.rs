//! The store's interface: every operation, listed once. Each backend implements all of them as
//! inherent methods with these exact signatures (the compiler checks it here), and
//! `tests/store` runs one conformance suite against both.

use super::records::{
    ApiKeyRow, ChainRecord, Change, ClaimQuery, ClientRow, ClockRow, CodeRecord, FaultRow,
    FlowKind, FlowRecord, KeyMeta, NewChain, NewRefreshToken, Redemption, RefreshTokenRecord,
    RetiredToken, SessionRecord, Snapshot, StoredKey, StoredLeaf, StoredTls, TokenFilter, UserRow,
};
use super::{Backend, Store};

/// `Store::name(args)` forwards to the backend's method of the same name.
macro_rules! operations {
    ($( $(#[$doc:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$doc])*
                pub async fn $name(&self $(, $arg: $ty)*) -> sqlx::Result<$ret> {
                    match &*self.backend {
                        Backend::Sqlite(store) => store.$name($($arg),*).await,
                        Backend::Postgres(store) => store.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

operations! {
    // Refresh tokens (`docs/protocol.md#refresh-tokens`), by hash only.
    fn insert_refresh_token(&self, token: &NewRefreshToken) -> i64;
    fn find_refresh_token(&self, token_hash: &[u8]) -> Option<RefreshTokenRecord>;
    /// Records a use. Callers debounce this so `/refresh` does not write on every call.
    fn touch_refresh_token(&self, id: i64, now: i64) -> ();
    /// Matching tokens, newest first. Never a token's hash.
    fn list_refresh_tokens(&self, filter: &TokenFilter) -> Vec<RefreshTokenRecord>;
    /// Revokes one token; `None` when there is no such id, else how many were live (0 or 1).
    fn revoke_refresh_token(&self, id: i64, now: i64) -> Option<u64>;
    /// Revokes every live token that matches; answers how many.
    fn revoke_refresh_tokens(&self, filter: &TokenFilter, now: i64) -> u64;

    // Login and logout flows, SSO sessions.
    /// Stores a new flow.
    fn insert_flow(&self, kind: FlowKind, flow: &FlowRecord, now: i64) -> ();
    /// A flow that has not expired yet.
    fn find_flow(&self, kind: FlowKind, id: &str, now: i64) -> Option<FlowRecord>;
    /// Consumes a flow: at most one caller ever gets it.
    fn take_flow(&self, kind: FlowKind, id: &str, now: i64) -> Option<FlowRecord>;
    fn delete_flow(&self, id: &str) -> ();
    /// Finishes a login atomically: consumes the flow, replaces the browser's session, and
    /// stores the refresh token or the authorization code. `false` when the flow was already used or has expired.
    fn finish_login(
        &self,
        flow_id: &str,
        now: i64,
        old_session_hash: Option<[u8; 32]>,
        session: &SessionRecord,
        refresh: Option<&NewRefreshToken>,
        code: Option<&CodeRecord>
    ) -> bool;
    fn find_session(&self, id_hash: &[u8], now: i64) -> Option<SessionRecord>;
    fn delete_session(&self, id_hash: &[u8]) -> ();
    /// Deletes up to `limit` rows of each kind that expired by `now` (flows, sessions, refresh
    /// tokens) or were revoked by `revoked_before`; answers how many. Housekeeping calls it
    /// until a call prunes less than a full batch (`docs/protocol.md#housekeeping`).
    fn prune_expired(&self, now: i64, revoked_before: i64, limit: i64) -> u64;

    // User login on the OAuth2 realm (`docs/protocol.md#user-login`): codes and chains.
    /// Stores a code (a login that needed no form).
    fn insert_code(&self, code: &CodeRecord) -> ();
    /// Presents a code: its first use marks it used and makes its chain (current token
    /// `token_hash`, ending `max_age` seconds after the login) in one transaction; a later use
    /// revokes that chain.
    fn redeem_code(&self, code_hash: &[u8], now: i64, token_hash: &[u8; 32], max_age: i64)
        -> Redemption;
    /// Stores a chain made without a code (control-plane minting); answers its id.
    fn insert_chain(&self, chain: &NewChain) -> i64;
    /// The chain whose current token has this hash.
    fn find_chain(&self, token_hash: &[u8]) -> Option<ChainRecord>;
    /// A token a chain rotated away from, with its chain.
    fn find_retired_token(&self, token_hash: &[u8]) -> Option<RetiredToken>;
    /// Compare-and-swap of a chain's current token; false when another refresh or a
    /// revocation got there first. The old token is remembered as retired.
    fn rotate_chain(
        &self,
        chain_id: i64,
        old_hash: &[u8],
        new_hash: &[u8; 32],
        successor_sealed: &[u8],
        now: i64
    ) -> bool;
    /// Revokes a live chain, saying why (`reuse`, `code_replay`, ...); false if it was not live.
    fn revoke_chain(&self, chain_id: i64, reason: &str, now: i64) -> bool;
    /// Whether `client_id` holds a live chain of session `sid`.
    fn session_chain_live(&self, sid: &str, client_id: &str, now: i64) -> bool;
    /// Ends SSO session `sid` and revokes its chains but offline ones; answers how many.
    fn end_session(&self, sid: &str, now: i64) -> u64;

    // Users and API keys.
    /// Makes the configured users and keys exactly these (the configuration wins over runtime
    /// changes, and over a runtime entry with the same uid, nick or key); runtime entries stay.
    fn seed_accounts(&self, users: &[UserRow], keys: &[ApiKeyRow]) -> ();
    /// Adds a runtime user after all others.
    fn create_user(&self, user: &UserRow) -> Change;
    /// Replaces user `uid` (keeping its place); its uid cannot change.
    fn replace_user(&self, uid: &str, user: &UserRow) -> Change;
    /// Deletes user `uid` and revokes its refresh tokens, in one transaction.
    fn delete_user(&self, uid: &str, now: i64) -> Change;
    /// Adds a runtime key after all others.
    fn create_api_key(&self, key: &ApiKeyRow) -> Change;
    /// Replaces the name, permissions and destinations of the key with this hash.
    fn replace_api_key(&self, key: &ApiKeyRow) -> Change;
    /// Deletes the key and revokes the refresh tokens bound to it, in one transaction.
    fn delete_api_key(&self, key_hash: &[u8], now: i64) -> Change;

    // OAuth2 clients (`docs/protocol.md#oauth2-clients`), by client id.
    /// Makes the configured clients exactly these (the configuration wins over runtime changes
    /// and over a runtime client with the same id); runtime clients stay.
    fn seed_clients(&self, clients: &[ClientRow]) -> ();
    /// Adds a runtime client after all others; a conflict when the id is taken.
    fn create_client(&self, client: &ClientRow) -> Change;
    /// Replaces everything of the client but its id and place; its secret hash only when
    /// `keep_secret` is false.
    fn replace_client(&self, client: &ClientRow, keep_secret: bool) -> Change;
    /// Deletes the client. Its access tokens are self-contained and stay valid until they
    /// expire, like upstream's.
    fn delete_client(&self, client_id: &str) -> Change;

    // Signing keys, one active per database (`docs/protocol.md#keys`).
    /// The active generated key, if any.
    fn active_key(&self) -> Option<StoredKey>;
    /// Stores `candidate` as the active key unless another process got there first; returns
    /// whichever key is active afterwards.
    fn install_key_if_none(&self, candidate: &StoredKey, now: i64) -> StoredKey;
    /// Every stored key, newest first.
    fn key_metas(&self) -> Vec<KeyMeta>;
    /// PEMs of the active key and of every retired one, by kid.
    fn key_pems(&self) -> Vec<(String, String)>;
    /// Makes `new` the active key; the old one stays published until `retire_at`.
    fn rotate_key(&self, new: &StoredKey, now: i64, retire_at: i64) -> ();

    // TLS material of `server.tls = "self-signed"` (`docs/tls.md`), one per database; `reset`
    // keeps it, like the signing keys.
    /// The stored CA and server certificate, if any.
    fn tls_material(&self) -> Option<StoredTls>;
    /// Stores `candidate` unless another process stored TLS material first; returns whichever
    /// is stored afterwards.
    fn install_tls_if_none(&self, candidate: &StoredTls, now: i64) -> StoredTls;
    /// Replaces the server certificate (never the CA) if it is still `seen_cert_pem`; returns
    /// what is stored afterwards: another process's new certificate if it got there first.
    fn replace_tls_leaf(&self, seen_cert_pem: &str, leaf: &StoredLeaf, now: i64) -> StoredTls;

    // Shared state: what every process caches, and the version that tells it to reload.
    /// The current version of the shared state; it changes with every runtime change.
    fn state_version(&self) -> i64;
    fn set_clock(&self, clock: ClockRow) -> ();
    /// Users, keys, clients, the clock, signing keys and pending faults, at one moment.
    fn snapshot(&self) -> Snapshot;
    /// Back to the configured state in one transaction: only the configured users, keys and clients,
    /// no refresh tokens, sessions, flows or faults, the clock at wall time. Signing keys stay.
    fn reset(&self) -> ();

    // Faults (`docs/protocol.md#faults`).
    /// Stores a fault (`id` and `remaining` are ignored); answers its id and how many faults
    /// are now pending on its route, this one included.
    fn insert_fault(&self, fault: &FaultRow) -> (i64, i64);
    /// Pending faults, oldest first.
    fn pending_faults(&self) -> Vec<FaultRow>;
    /// Takes one use of the oldest pending fault that matches, if any; exactly one request
    /// gets each use, whichever process serves it.
    fn claim_fault(&self, query: ClaimQuery<'_>) -> Option<FaultRow>;
    /// Removes one pending fault; false when there is none with that id.
    fn delete_fault(&self, id: i64) -> bool;
    /// Removes every pending fault; answers how many there were.
    fn clear_faults(&self) -> u64;
}
