//! What the dashboard shows, read through the same service calls as the JSON endpoints
//! (`GET /_emulator/users`, `/api-keys`, `/refresh-tokens`, `/clock`, `/keys`, `/faults`,
//! `/journal`), so the page never shows more than they do: no password, no key beyond its hint,
//! no token.

use crate::app::App;
use crate::error::ControlError;
use crate::service::{
    ApiKeyView, ClientView, ClockState, EntryFilter, FaultView, JournalEntry, KeyView,
    RefreshTokenInfo, TokenSelection, UserView,
};

/// The newest journal entries shown; the JSON endpoint has them all.
pub const JOURNAL_SHOWN: usize = 50;
/// The newest refresh tokens shown, so a long-running server still gives a short page.
pub const TOKENS_SHOWN: usize = 100;

pub struct Dashboard {
    pub clock: ClockState,
    pub users: Vec<UserView>,
    pub api_keys: Vec<ApiKeyView>,
    pub clients: Vec<ClientView>,
    /// Newest first, at most [`TOKENS_SHOWN`].
    pub refresh_tokens: Vec<RefreshTokenInfo>,
    /// How many refresh tokens are stored in all.
    pub refresh_tokens_stored: usize,
    /// Live OAuth2 sessions: the rotating chains not revoked and not past their end.
    pub sessions: Vec<RefreshTokenInfo>,
    /// Active first.
    pub signing_keys: Vec<KeyView>,
    pub faults: Vec<PendingFaultLine>,
    /// Newest first, at most [`JOURNAL_SHOWN`].
    pub journal: Vec<JournalEntry>,
}

/// One fault that is queued and not used up yet.
pub struct PendingFaultLine {
    pub id: i64,
    /// The route it applies to, e.g. `/refresh`.
    pub route: String,
    /// Which callers it matches: a key's name and/or a user's uid, else "any".
    pub matches: String,
    /// What happens to the request, e.g. `status 503`.
    pub effect: String,
    /// `remaining of times`.
    pub uses: String,
}

impl PendingFaultLine {
    fn of(fault: FaultView) -> Self {
        let effect = fault.effect();
        let matches = [
            fault.api_key.map(|k| format!("key {k}")),
            fault.user.map(|u| format!("user {u}")),
            fault.client.map(|c| format!("client {c}")),
        ];
        let matches: Vec<String> = matches.into_iter().flatten().collect();
        Self {
            id: fault.id,
            route: fault.route,
            matches: if matches.is_empty() {
                "any".into()
            } else {
                matches.join(", ")
            },
            effect,
            uses: format!("{} of {}", fault.remaining, fault.times),
        }
    }
}

pub async fn build(state: &App) -> Result<Dashboard, ControlError> {
    let mut refresh_tokens = state
        .refresh_tokens
        .list(&TokenSelection::default())
        .await?;
    let refresh_tokens_stored = refresh_tokens.len();
    let now = state.clock.state().now;
    let sessions = (refresh_tokens.iter())
        .filter(|t| t.client.is_some() && t.revoked_at.is_none())
        .filter(|t| t.expires_at.is_none_or(|end| end > now))
        .take(TOKENS_SHOWN)
        .cloned()
        .collect();
    refresh_tokens.truncate(TOKENS_SHOWN);
    Ok(Dashboard {
        clock: state.clock.state(),
        users: state.users.list(),
        api_keys: state.api_keys.list(),
        clients: state.clients.list(),
        refresh_tokens,
        refresh_tokens_stored,
        sessions,
        signing_keys: state.keys.list().await?,
        faults: state
            .faults
            .list()
            .await?
            .into_iter()
            .map(PendingFaultLine::of)
            .collect(),
        journal: state
            .journal
            .list(EntryFilter::default(), Some(JOURNAL_SHOWN)),
    })
}

impl Dashboard {
    /// The name of the OAuth2 client with this id, when it still exists.
    pub fn client_name(&self, client_id: &str) -> Option<&str> {
        let client = self.clients.iter().find(|c| c.client_id == client_id)?;
        Some(&client.name)
    }

    /// The nick of the user with `uid`, when that user is still configured.
    pub fn nick(&self, uid: &str) -> Option<&str> {
        let user = self.users.iter().find(|u| u.uid == uid);
        user.map(|u| u.nick.as_str())
    }
}
