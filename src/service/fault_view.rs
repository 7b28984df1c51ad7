//! A pending fault as `GET /_emulator/faults` shows it (`docs/protocol.md#faults`): the action in
//! the shape it was queued with, the key by name.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::fault::FaultAction;
use crate::store::FaultRow;

/// A pending fault as the control plane lists it: the matching fields, the counts, and the
/// action in the shape it was queued with.
#[derive(Debug, Serialize)]
pub struct FaultView {
    pub id: i64,
    pub route: String,
    /// The API key's name (never the key).
    pub api_key: Option<String>,
    pub user: Option<String>,
    pub times: i64,
    pub remaining: i64,
    pub created_at: i64,
    #[serde(flatten)]
    pub action: Map<String, Value>,
}

pub(super) fn view(row: FaultRow) -> Option<FaultView> {
    let action: FaultAction = serde_json::from_str(&row.action).ok()?;
    let action = match action {
        FaultAction::Respond {
            status,
            body,
            headers,
        } => {
            let headers: Map<String, Value> = headers
                .into_iter()
                .map(|(name, value)| (name, Value::String(value)))
                .collect();
            json!({ "status": status, "body": body, "headers": headers })
        }
        FaultAction::Delay(delay) => {
            json!({ "delay": humantime::format_duration(delay).to_string() })
        }
        FaultAction::Token(how) => json!({ "token": how }),
        FaultAction::Connection(how) => json!({ "connection": how }),
    };
    Some(FaultView {
        id: row.id,
        route: row.route,
        api_key: row.api_key_name,
        user: row.user_uid,
        times: row.times,
        remaining: row.remaining,
        created_at: row.created_at,
        action: match action {
            Value::Object(map) => map,
            _ => Map::new(),
        },
    })
}
