//! What the store holds and answers, the same for every backend. Secrets arrive already
//! hashed; claims, permissions, destinations and fault actions as JSON text.

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub uid: String,
    pub nick: String,
    pub email: String,
    pub password_hash: Vec<u8>,
    pub claims: String,
    pub configured: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub key_hash: Vec<u8>,
    pub name: String,
    pub key_hint: String,
    pub permissions: String,
    pub destinations: String,
    pub configured: bool,
}

/// An OAuth2 client (`docs/protocol.md#oauth2-clients`); lists are JSON arrays of strings.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClientRow {
    pub client_id: String,
    /// SHA-256 of the secret; `None` for a public client.
    pub secret_hash: Option<Vec<u8>>,
    pub name: String,
    pub grants: String,
    pub apis: String,
    pub redirect_uris: String,
    pub post_logout_redirect_uris: String,
    pub configured: bool,
}

/// What a change by key or uid found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Done,
    NotFound,
    /// Another row already has this uid, nick or key.
    Conflict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowKind {
    Login,
    Logout,
}

impl FlowKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Logout => "logout",
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlowRecord {
    pub id: String,
    pub destination: String,
    pub api_key_hash: Option<Vec<u8>>,
    pub lang: String,
    pub browser_hash: Vec<u8>,
    pub expires_at: i64,
    /// A flow the authorization endpoint started: its request as JSON
    /// (`docs/protocol.md#user-login`); `None` for a JWT-provider login.
    pub authorization: Option<String>,
}

/// A login (SSO) session; the cookie value is only stored hashed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    pub id_hash: Vec<u8>,
    pub user_uid: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// The id tokens and the authorization response name the session by (`sid`,
    /// `session_state`): random, never derived from the cookie.
    pub sid: String,
}

/// A refresh token about to be stored.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub token_hash: [u8; 32],
    pub user_uid: String,
    pub api_key_hash: [u8; 32],
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

/// A JWT-provider refresh token or an OAuth2 refresh-token chain, as the control plane lists
/// them: a chain is one row whose token rotates (`docs/protocol.md#rotating-refresh-tokens`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefreshTokenRecord {
    pub id: i64,
    pub user_uid: String,
    /// The API key a JWT-provider token is bound to; `None` for a chain.
    pub api_key_hash: Option<Vec<u8>>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// The OAuth2 client a chain belongs to; `None` for a JWT-provider token.
    pub client_id: Option<String>,
    /// How often the chain rotated (0 for JWT-provider tokens).
    pub rotations: i64,
    /// Why a chain was revoked by the emulator itself (`reuse`, `code_replay`, `logout`).
    pub revoked_reason: Option<String>,
}

/// Which refresh tokens a listing or revocation is about; `None` matches any.
#[derive(Debug, Default, Clone)]
pub struct TokenFilter {
    pub user_uid: Option<String>,
    pub api_key_hash: Option<[u8; 32]>,
    pub client_id: Option<String>,
}

/// A rotating refresh-token chain of a user login (`docs/protocol.md#rotating-refresh-tokens`):
/// everything the refresh grant needs to issue the next tokens.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChainRecord {
    pub id: i64,
    /// SHA-256 of the chain's current refresh token.
    pub token_hash: Vec<u8>,
    pub user_uid: String,
    pub client_id: String,
    pub sid: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub auth_time: i64,
    /// The chain's absolute end: `refresh_max_age` after the login.
    pub expires_at: i64,
    pub rotations: i64,
    pub revoked_at: Option<i64>,
}

/// A chain about to be stored (control-plane minting; a code exchange makes its chain from the
/// code's row).
#[derive(Debug, Clone)]
pub struct NewChain {
    pub token_hash: [u8; 32],
    pub user_uid: String,
    pub client_id: String,
    pub sid: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub auth_time: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A token a chain rotated away from, and the chain it belonged to.
#[derive(Debug, Clone)]
pub struct RetiredToken {
    pub chain: ChainRecord,
    pub retired_at: i64,
    /// The successor, sealed under a key derived from the retired token.
    pub successor_sealed: Vec<u8>,
}

/// An authorization code (`docs/protocol.md#authorization-codes`), stored by hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRecord {
    pub code_hash: Vec<u8>,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    pub scope: String,
    pub user_uid: String,
    pub sid: String,
    pub auth_time: i64,
    pub expires_at: i64,
}

/// What presenting a code found.
#[derive(Debug, Clone)]
pub enum Redemption {
    /// Its first use: the chain made for it (live; revoke it if the exchange fails).
    First { code: CodeRecord, chain_id: i64 },
    /// Used before: the chain of its first use is now revoked.
    Replayed { code: CodeRecord },
    /// Unknown, or expired before its first use.
    Unknown,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredKey {
    pub kid: String,
    pub private_pem: String,
}

/// What the control plane and the key ring need to know of a stored key, without its PEM.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KeyMeta {
    pub kid: String,
    pub active: bool,
    pub created_at: i64,
    /// When a retired key drops out of the published keys (emulator clock).
    pub retired_at: Option<i64>,
}

/// The TLS material of `server.tls = "self-signed"` (`docs/tls.md`): the local CA and the
/// server certificate it issued. `Debug` leaves out the private keys; the CA's never leaves the
/// database but to sign the next server certificate.
#[derive(Clone, sqlx::FromRow)]
pub struct StoredTls {
    pub ca_cert_pem: String,
    pub ca_key_pem: String,
    #[sqlx(flatten)]
    pub leaf: StoredLeaf,
}

/// A server certificate the stored CA issued, and its key.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredLeaf {
    #[sqlx(rename = "leaf_cert_pem")]
    pub cert_pem: String,
    #[sqlx(rename = "leaf_key_pem")]
    pub key_pem: String,
    /// The names it was issued for, as configured, comma-separated.
    pub hostnames: String,
    /// When it expires (Unix seconds, wall time).
    #[sqlx(rename = "leaf_not_after")]
    pub not_after: i64,
}

impl std::fmt::Debug for StoredTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredTls")
            .field("ca_cert_pem", &self.ca_cert_pem)
            .field("leaf", &self.leaf)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for StoredLeaf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredLeaf")
            .field("cert_pem", &self.cert_pem)
            .field("hostnames", &self.hostnames)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

/// The emulator clock as stored: an offset from wall time, and the second time stands still at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct ClockRow {
    pub offset_seconds: i64,
    pub frozen_at: Option<i64>,
}

/// Everything a process caches, read at one moment so the parts agree with `version`.
#[derive(Debug)]
pub struct Snapshot {
    pub version: i64,
    pub users: Vec<UserRow>,
    pub keys: Vec<ApiKeyRow>,
    pub clients: Vec<ClientRow>,
    pub clock: ClockRow,
    pub signing_keys: Vec<KeyMeta>,
    /// Pending faults, oldest first.
    pub faults: Vec<FaultRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FaultRow {
    pub id: i64,
    pub route: String,
    pub api_key_hash: Option<Vec<u8>>,
    pub api_key_name: Option<String>,
    pub user_uid: Option<String>,
    pub times: i64,
    pub remaining: i64,
    /// The action as JSON.
    pub action: String,
    pub breaks_token: bool,
    pub created_at: i64,
    /// The OAuth2 client a token-endpoint fault matches.
    pub client_id: Option<String>,
}

/// What a fault claim is about: see `crate::fault::FaultSubject`.
#[derive(Debug, Clone, Copy)]
pub struct ClaimQuery<'a> {
    pub route: &'a str,
    pub api_key_hash: Option<&'a [u8]>,
    pub user_uid: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub carries_token: bool,
}

/// What housekeeping prunes, one kind at a time: `(table, key column, time column, bound)`. A
/// row goes once its time column is at or before the bound (`docs/protocol.md#housekeeping`).
pub(crate) const PRUNED: [(&str, &str, &str, PruneBound); 6] = [
    ("flows", "id", "expires_at", PruneBound::Now),
    ("sessions", "id_hash", "expires_at", PruneBound::Now),
    ("refresh_tokens", "id", "expires_at", PruneBound::Now),
    (
        "refresh_tokens",
        "id",
        "revoked_at",
        PruneBound::RevokedBefore,
    ),
    (
        "retired_refresh_tokens",
        "token_hash",
        "chain_expires_at",
        PruneBound::Now,
    ),
    // A used code is kept a while after it expires, so a late replay still revokes its chain.
    (
        "authorization_codes",
        "code_hash",
        "expires_at",
        PruneBound::RevokedBefore,
    ),
];

#[derive(Debug, Clone, Copy)]
pub(crate) enum PruneBound {
    /// Expired: the emulator clock's now.
    Now,
    /// Revoked long enough ago that nobody needs to see it listed any more.
    RevokedBefore,
}

impl PruneBound {
    pub(crate) fn value(self, now: i64, revoked_before: i64) -> i64 {
        match self {
            Self::Now => now,
            Self::RevokedBefore => revoked_before,
        }
    }
}

/// Column lists both backends select, in the order of the row types' fields.
pub(crate) const USER_COLUMNS: &str = "uid, nick, email, password_hash, claims, configured";
pub(crate) const KEY_COLUMNS: &str =
    "key_hash, name, key_hint, permissions, destinations, configured";
pub(crate) const CLIENT_COLUMNS: &str = "client_id, secret_hash, name, grants, apis, \
                                         redirect_uris, post_logout_redirect_uris, configured";
/// `authorization` is a reserved word in PostgreSQL: both backends quote it.
pub(crate) const FLOW_COLUMNS: &str =
    "id, destination, api_key_hash, lang, browser_hash, expires_at, \"authorization\"";
pub(crate) const SESSION_COLUMNS: &str = "id_hash, user_uid, created_at, expires_at, sid";
pub(crate) const TOKEN_COLUMNS: &str = "id, user_uid, api_key_hash, created_at, expires_at, \
                                        last_used_at, revoked_at, client_id, rotations, \
                                        revoked_reason";
pub(crate) const CHAIN_COLUMNS: &str = "id, token_hash, user_uid, client_id, sid, scope, nonce, \
                                        auth_time, expires_at, rotations, revoked_at";
pub(crate) const CODE_COLUMNS: &str = "code_hash, client_id, redirect_uri, code_challenge, \
                                       nonce, scope, user_uid, sid, auth_time, expires_at";
pub(crate) const FAULT_COLUMNS: &str = "id, route, api_key_hash, api_key_name, user_uid, times, \
                                        remaining, action, breaks_token, created_at, \
                                        client_id";

pub(crate) const TLS_COLUMNS: &str =
    "ca_cert_pem, ca_key_pem, leaf_cert_pem, leaf_key_pem, hostnames, leaf_not_after";

/// What `reset` runs, in one transaction, on either backend (SQLite reads `TRUE`/`FALSE` too).
pub(crate) const RESET_STATEMENTS: [&str; 10] = [
    "DELETE FROM users WHERE configured = FALSE",
    "DELETE FROM api_keys WHERE configured = FALSE",
    "DELETE FROM oauth_clients WHERE configured = FALSE",
    "DELETE FROM refresh_tokens",
    "DELETE FROM retired_refresh_tokens",
    "DELETE FROM authorization_codes",
    "DELETE FROM sessions",
    "DELETE FROM flows",
    "DELETE FROM faults",
    "UPDATE clock SET offset_seconds = 0, frozen_at = NULL WHERE id = 1",
];

/// Who owns refresh tokens: a user by uid, or an API key by its hash. Deleting an owner
/// revokes its tokens; each backend binds the id in its own way.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owner<'a> {
    User(&'a str),
    ApiKey(&'a [u8]),
}
