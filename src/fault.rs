//! Faults a test queues to make the provider misbehave on purpose (`docs/protocol.md#faults`):
//! which requests one matches and what it does to them. Plain data shared by the store, the
//! token service (broken tokens) and the HTTP layer (broken connections).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The routes a fault can be put on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FaultRoute {
    /// `/connect` and its legacy path `/culturefeed/oauth/connect`.
    #[serde(rename = "/connect")]
    Connect,
    /// The login form's submission (`POST /login`).
    #[serde(rename = "/login")]
    Login,
    #[serde(rename = "/refresh")]
    Refresh,
    /// The Entry API's token check.
    #[serde(rename = "/user")]
    User,
    /// The OAuth2 realm's token endpoint and its `/oauth/token` alias.
    #[serde(rename = "/realms/uitid/protocol/openid-connect/token")]
    Token,
    /// The OAuth2 realm's authorization endpoint (its answer carries a code, not a token).
    #[serde(rename = "/realms/uitid/protocol/openid-connect/auth")]
    Authorize,
}

impl FaultRoute {
    pub const ALL: [Self; 6] = [
        Self::Connect,
        Self::Login,
        Self::Refresh,
        Self::User,
        Self::Token,
        Self::Authorize,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connect => "/connect",
            Self::Login => "/login",
            Self::Refresh => "/refresh",
            Self::User => "/user",
            Self::Token => "/realms/uitid/protocol/openid-connect/token",
            Self::Authorize => "/realms/uitid/protocol/openid-connect/auth",
        }
    }

    /// A route as the control plane names it; `/oauth/token` is the token endpoint too.
    pub fn parse(text: &str) -> Option<Self> {
        if text == "/oauth/token" {
            return Some(Self::Token);
        }
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether the route's answer can carry an access token (the Entry API only checks one).
    pub fn hands_out_tokens(self) -> bool {
        !matches!(self, Self::User | Self::Authorize)
    }

    /// Whether the route knows the OAuth2 client a request is about (the `client` matcher).
    pub fn names_clients(self) -> bool {
        matches!(self, Self::Token | Self::Authorize)
    }
}

/// How a token in an otherwise normal answer is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokenToken {
    /// `exp` (and `iat`) moved into the past, beyond any leeway; validly signed.
    Expired,
    /// Header and claims intact, signature bytes altered.
    BadSignature,
    /// A `kid` the JWKS does not publish.
    UnknownKid,
    /// `iss` names an issuer nobody accepts; validly signed.
    WrongIssuer,
    /// Not a JWS at all (the signature segment is missing).
    Malformed,
}

/// How a connection is broken instead of answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokenConnection {
    /// Closed with a TCP reset before any byte of the answer.
    Reset,
    /// Closed cleanly before any byte of the answer ("empty reply from server").
    Empty,
    /// About half of the answer's bytes, then closed.
    Truncated,
}

/// What happens to a matching request. Stored as JSON, so the names are the wire's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// This answer instead of the route's.
    Respond {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// The route's answer, this much later.
    #[serde(with = "humantime_serde")]
    Delay(Duration),
    /// The route's answer with its access token broken.
    Token(BrokenToken),
    /// No proper answer at all.
    Connection(BrokenConnection),
}

impl FaultAction {
    /// What the journal shows for a request this fault was applied to.
    pub fn describe(&self) -> String {
        match self {
            Self::Respond { status, .. } => format!("status {status}"),
            Self::Delay(delay) => format!("delay {}", humantime::format_duration(*delay)),
            Self::Token(how) => format!("token {}", snake(how)),
            Self::Connection(how) => format!("connection {}", snake(how)),
        }
    }
}

fn snake(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Who a request turned out to be about, once it was served: what a fault may match on.
#[derive(Debug, Clone, Copy)]
pub struct FaultSubject<'a> {
    pub route: FaultRoute,
    /// Hash of the caller's API key, when it is a known one.
    pub key_hash: Option<&'a [u8; 32]>,
    /// uid of the user the request was about.
    pub user: Option<&'a str>,
    /// Id of the OAuth2 client the request was about.
    pub client: Option<&'a str>,
    /// Whether the answer carries an access token a `token` fault could break.
    pub carries_token: bool,
}
