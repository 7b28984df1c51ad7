//! A pending fault as `GET /_emulator/faults` shows it (`docs/protocol.md#faults`): the action in
//! the shape it was queued with, the key by name.

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::fault::{BrokenConnection, BrokenToken, FaultAction};
use crate::store::FaultRow;

/// A pending fault: what it matches, how many uses are left, and its one action (`status` with
/// `body` and `headers`, or `delay`, `token` or `connection`; the others are left out).
#[derive(Debug, Serialize, ToSchema)]
pub struct FaultView {
    pub id: i64,
    /// `/connect`, `/login`, `/refresh`, `/user` or the token endpoint
    /// `/realms/uitid/protocol/openid-connect/token`.
    pub route: String,
    /// The API key's name (never the key); `null` matches any caller.
    pub api_key: Option<String>,
    /// A user's uid; `null` matches any user.
    pub user: Option<String>,
    /// An OAuth2 client's id (token endpoint only); `null` matches any client.
    pub client: Option<String>,
    pub times: i64,
    pub remaining: i64,
    /// Emulator-clock unix seconds.
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::HashMap<String, String>>)]
    pub headers: Option<Map<String, Value>>,
    /// A humantime duration such as `2s`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "expired")]
    pub token: Option<BrokenToken>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "reset")]
    pub connection: Option<BrokenConnection>,
    #[serde(skip)]
    action: FaultAction,
}

impl FaultView {
    /// The action in a few words, as the journal names it: `status 503`, `delay 2s`.
    pub fn effect(&self) -> String {
        self.action.describe()
    }
}

pub(super) fn view(row: FaultRow) -> Option<FaultView> {
    let action: FaultAction = serde_json::from_str(&row.action).ok()?;
    let mut view = FaultView {
        id: row.id,
        route: row.route,
        api_key: row.api_key_name,
        user: row.user_uid,
        client: row.client_id,
        times: row.times,
        remaining: row.remaining,
        created_at: row.created_at,
        status: None,
        body: None,
        headers: None,
        delay: None,
        token: None,
        connection: None,
        action: action.clone(),
    };
    match action {
        FaultAction::Respond {
            status,
            body,
            headers,
        } => {
            view.status = Some(status);
            view.body = Some(body);
            let headers = headers.into_iter().map(|(n, v)| (n, Value::String(v)));
            view.headers = Some(headers.collect());
        }
        FaultAction::Delay(delay) => {
            view.delay = Some(humantime::format_duration(delay).to_string());
        }
        FaultAction::Token(how) => view.token = Some(how),
        FaultAction::Connection(how) => view.connection = Some(how),
    }
    Some(view)
}
