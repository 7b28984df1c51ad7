//! `POST /_emulator/faults` bodies (`docs/protocol.md#faults`), checked field by field so a
//! mistake is a 400 naming the field rather than a fault that silently never fires.

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::error::ControlError;
use crate::fault::{BrokenConnection, BrokenToken, FaultAction, FaultRoute};

/// Longest delay accepted: beyond `server.request_timeout` the server answers its own 503
/// anyway, and anything longer than this is a typo.
pub const MAX_DELAY: Duration = Duration::from_secs(600);
/// Most uses one fault may have.
pub const MAX_TIMES: i64 = 1_000_000;
/// Headers a fault may not set: the server frames the answer itself.
const FRAMING_HEADERS: [&str; 4] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
];

/// A fault to queue: the route, whom to match, how often, and exactly one action (`status`
/// with optional `body` and `headers`, or `delay`, `token` or `connection`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultInput {
    /// `/connect`, `/login` (the form's submission), `/refresh`, `/user`, or the token
    /// endpoint `/realms/uitid/protocol/openid-connect/token` (also named `/oauth/token`).
    #[schema(example = "/refresh")]
    pub route: String,
    /// The key as clients present it, or its name.
    #[serde(default)]
    pub api_key: Option<String>,
    /// uid or nick.
    #[serde(default)]
    pub user: Option<String>,
    /// An OAuth2 client's id (token endpoint only).
    #[serde(default)]
    pub client: Option<String>,
    /// How many matching requests it affects (default 1).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub times: Option<i64>,
    /// Answer this status (200 to 599) instead.
    #[serde(default)]
    #[schema(minimum = 200, maximum = 599)]
    pub status: Option<u16>,
    #[serde(default)]
    pub body: Option<String>,
    /// Header names and string values (not the framing headers).
    #[serde(default)]
    #[schema(value_type = Option<std::collections::HashMap<String, String>>)]
    pub headers: Option<Map<String, Value>>,
    /// Answer normally, this much later (`"2s"`, at most 10 minutes).
    #[serde(default)]
    pub delay: Option<String>,
    /// Answer normally with the access token broken: `expired`, `bad_signature`,
    /// `unknown_kid`, `wrong_issuer` or `malformed`.
    #[serde(default)]
    #[schema(pattern = "^(expired|bad_signature|unknown_kid|wrong_issuer|malformed)$")]
    pub token: Option<String>,
    /// Break the connection instead: `reset`, `empty` or `truncated`.
    #[serde(default)]
    #[schema(pattern = "^(reset|empty|truncated)$")]
    pub connection: Option<String>,
}

impl FaultInput {
    pub fn route(&self) -> Result<FaultRoute, ControlError> {
        FaultRoute::parse(&self.route).ok_or_else(|| {
            ControlError::invalid(
                "route",
                "must be one of /connect, /login, /refresh, /user, \
                 /realms/uitid/protocol/openid-connect/token (or /oauth/token)",
            )
        })
    }

    /// Which matchers fit the route: API keys and users on the JWT provider's routes, clients
    /// on the token and authorization endpoints, users on the authorization endpoint too.
    pub fn check_matchers(&self, route: FaultRoute) -> Result<(), ControlError> {
        let token_endpoint = route == FaultRoute::Token;
        let misplaced = [
            ("api_key", self.api_key.is_some() && route.names_clients()),
            ("user", self.user.is_some() && token_endpoint),
            ("client", self.client.is_some() && !route.names_clients()),
        ];
        match misplaced.into_iter().find(|(_, wrong)| *wrong) {
            Some(("client", _)) => Err(ControlError::invalid(
                "client",
                "only the token and authorization endpoints match on a client",
            )),
            Some((field, _)) => Err(ControlError::invalid(
                field,
                "the OAuth2 endpoints match on a client, not on an API key (nor, at the token \
                 endpoint, on a user)",
            )),
            None => Ok(()),
        }
    }

    pub fn times(&self) -> Result<i64, ControlError> {
        match self.times.unwrap_or(1) {
            times @ 1..=MAX_TIMES => Ok(times),
            _ => Err(ControlError::invalid(
                "times",
                format!("must be between 1 and {MAX_TIMES}"),
            )),
        }
    }

    /// The one thing the fault does: exactly one of `status`, `delay`, `token`, `connection`.
    pub fn action(&self, route: FaultRoute) -> Result<FaultAction, ControlError> {
        let given: Vec<&'static str> = [
            ("status", self.status.is_some()),
            ("delay", self.delay.is_some()),
            ("token", self.token.is_some()),
            ("connection", self.connection.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect();
        let choose = "give exactly one of status, delay, token or connection";
        match given.as_slice() {
            [] => return Err(ControlError::invalid("status", choose)),
            [_, second, ..] => return Err(ControlError::invalid(second, choose)),
            _ => {}
        }
        if self.status.is_none() {
            if self.body.is_some() {
                return Err(ControlError::invalid("body", "only with status"));
            }
            if self.headers.is_some() {
                return Err(ControlError::invalid("headers", "only with status"));
            }
        }
        if let Some(status) = self.status {
            return self.response(status);
        }
        if let Some(delay) = &self.delay {
            return delay_of(delay).map(FaultAction::Delay);
        }
        if let Some(token) = &self.token {
            if !route.hands_out_tokens() {
                return Err(ControlError::invalid(
                    "token",
                    format!("{} answers with no token to break", route.as_str()),
                ));
            }
            return named::<BrokenToken>("token", token, TOKEN_KINDS).map(FaultAction::Token);
        }
        let connection = self.connection.as_deref().unwrap_or_default();
        named::<BrokenConnection>("connection", connection, CONNECTION_KINDS)
            .map(FaultAction::Connection)
    }

    fn response(&self, status: u16) -> Result<FaultAction, ControlError> {
        if !(200..=599).contains(&status) {
            return Err(ControlError::invalid(
                "status",
                "must be between 200 and 599",
            ));
        }
        let mut headers = Vec::new();
        for (name, value) in self.headers.iter().flatten() {
            let Value::String(value) = value else {
                return Err(ControlError::invalid(
                    "headers",
                    format!("{name:?}: values are strings"),
                ));
            };
            let valid = ::http::HeaderName::from_bytes(name.as_bytes()).is_ok()
                && ::http::HeaderValue::from_str(value).is_ok();
            if !valid {
                return Err(ControlError::invalid(
                    "headers",
                    format!("{name:?} is not a valid header"),
                ));
            }
            if FRAMING_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                return Err(ControlError::invalid(
                    "headers",
                    format!("{name:?} is set by the server"),
                ));
            }
            headers.push((name.clone(), value.clone()));
        }
        Ok(FaultAction::Respond {
            status,
            body: self.body.clone().unwrap_or_default(),
            headers,
        })
    }
}

const TOKEN_KINDS: &str = "expired, bad_signature, unknown_kid, wrong_issuer or malformed";
const CONNECTION_KINDS: &str = "reset, empty or truncated";

fn delay_of(text: &str) -> Result<Duration, ControlError> {
    let delay = humantime::parse_duration(text)
        .map_err(|e| ControlError::invalid("delay", format!("{text:?} is not a duration: {e}")))?;
    if delay.is_zero() || delay > MAX_DELAY {
        return Err(ControlError::invalid(
            "delay",
            format!(
                "must be above 0 and at most {}",
                humantime::format_duration(MAX_DELAY)
            ),
        ));
    }
    Ok(delay)
}

/// One of a fixed set of snake_case names.
fn named<T: DeserializeOwned>(
    field: &'static str,
    text: &str,
    expected: &str,
) -> Result<T, ControlError> {
    serde_json::from_value(Value::String(text.to_owned()))
        .map_err(|_| ControlError::invalid(field, format!("{text:?} is not one of {expected}")))
}
