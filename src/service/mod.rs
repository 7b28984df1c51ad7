//! The use cases, one small service type per route family, without HTTP: route modules turn a
//! request into one of these calls and the outcome into a response (`docs/architecture.md`).
//! Services share a private `Context` (settings, store, token service, directory,
//! clock); routes never see the store.

mod accounts;
mod api_keys;
mod authorization;
mod authorize;
mod chain_seal;
mod chain_tokens;
mod client_input;
mod client_rows;
mod clients;
mod clock;
mod connect;
mod context;
mod entry_api;
mod fault_input;
mod fault_view;
mod faults;
mod guessing;
mod health;
mod housekeeping;
mod issue;
mod journal;
mod journal_service;
mod keys;
mod login;
mod logout;
mod mint;
mod mint_client;
mod oauth_code_grant;
mod oauth_introspection;
mod oauth_refresh_grant;
mod oauth_request;
mod oauth_scopes;
mod oauth_token;
mod pending_fault;
mod realm_logout;
mod realm_tokens;
mod refresh;
mod refresh_tokens;
mod reset;
mod shared;
mod signing_key;
mod tls;
mod tls_material;
mod user_login;
mod userinfo;
mod users;

pub use api_keys::{ApiKeyInput, ApiKeyService, ApiKeyView};
pub use authorize::{AuthorizeInput, AuthorizeOutcome, AuthorizeService};
pub use clients::{ClientInput, ClientService, ClientView};
pub use clock::{ClockChange, ClockService, ClockState, SignedDuration};
pub use connect::{ConnectOutcome, ConnectRequest, ConnectService};
pub(crate) use context::Context;
pub use entry_api::{EntryApiService, EntryApiUser, EntryCaller};
pub use fault_input::FaultInput;
pub use fault_view::FaultView;
pub use faults::{ClaimedFault, FaultService, QueuedFault};
pub use health::HealthService;
pub use issue::IssuedTokens;
pub use journal::{EntryFilter, JournalEntry, JournalNote};
pub use journal_service::{JournalService, Verification, VerifyMismatch};
pub use keys::{KeyService, KeyView, Rotation};
pub use login::{LoginAction, LoginPage, LoginService, LoginSubmission, SubmitOutcome};
pub use logout::{LogoutService, LogoutStarted};
pub use mint::{MintRequest, MintService, MintedTokens};
pub use oauth_request::{BasicCredentials, FormParams, TokenGranted, TokenRequest};
pub use oauth_scopes::{SCOPES, granted_scope};
pub use oauth_token::TokenEndpointService;
pub use realm_logout::{RealmLogoutInput, RealmLogoutOutcome, RealmLogoutService};
pub use refresh::{RefreshService, Refreshed};
pub use refresh_tokens::{RefreshTokenInfo, RefreshTokenService, TokenSelection};
pub use reset::ResetService;
pub use tls::TlsService;
pub use userinfo::UserInfoService;
pub use users::{UserInput, UserService, UserView};

/// Upstream's text for a missing `destination` (`docs/protocol.md#connect`).
pub const MISSING_DESTINATION: &str =
    "Request does not contain a destination parameter to redirect to after login.";
/// Upstream's text for a missing `refresh` (`docs/protocol.md#refresh`).
pub const MISSING_REFRESH: &str = "Missing refresh token";
/// How long a login form stays usable (Keycloak's default login timeout).
pub const FLOW_TTL_SECONDS: i64 = 30 * 60;
/// How long an SSO session lasts (Keycloak's default SSO session maximum).
pub const SESSION_TTL_SECONDS: i64 = 10 * 3600;
