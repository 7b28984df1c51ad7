//! What the provider does, route by route, without HTTP: the route modules translate requests
//! into these calls and the outcomes into responses.

mod clock;
mod connect;
mod entry_api;
mod issue;
mod login;
mod logout;
mod mint;
mod refresh;

pub use clock::{ClockChange, ClockState};
pub use connect::{ConnectOutcome, ConnectRequest};
pub use entry_api::EntryApiUser;
pub use issue::IssuedTokens;
pub use login::{LoginAction, LoginPage, LoginSubmission, SubmitOutcome};
pub use logout::LogoutStarted;
pub use mint::{MintRequest, MintedTokens};

/// Upstream's text for a missing `destination` (PROTOCOL.md 4.1, 4.5).
pub const MISSING_DESTINATION: &str =
    "Request does not contain a destination parameter to redirect to after login.";
/// Upstream's text for a missing `refresh` (PROTOCOL.md 4.4).
pub const MISSING_REFRESH: &str = "Missing refresh token";
/// How long a login form stays usable (Keycloak's default login timeout).
pub const FLOW_TTL_SECONDS: i64 = 30 * 60;
/// How long an SSO session lasts (Keycloak's default SSO session maximum).
pub const SESSION_TTL_SECONDS: i64 = 10 * 3600;
