//! The dashboard's OAuth2 sessions: each live rotating chain (`docs/protocol.md#rotating-refresh-tokens`)
//! with its user and client, when it was made and last refreshed, and when it ends.

use maud::{Markup, html};

use super::render::moment;
use super::tables::{optional, table};
use super::view::Dashboard;

pub fn sessions(view: &Dashboard) -> Markup {
    let headers = [
        "Chain",
        "User",
        "Client",
        "Logged in",
        "Last refresh",
        "Rotations",
        "Ends",
        "",
    ];
    table(
        &headers,
        view.sessions.is_empty(),
        html! {
            @for chain in &view.sessions {
                @let client = chain.client.as_deref().unwrap_or("");
                tr #{ "session-" (chain.id) } {
                    td { code { (chain.id) } }
                    td { (view.nick(&chain.user).unwrap_or("")) " " code.muted { (chain.user) } }
                    td { (view.client_name(client).unwrap_or("")) " " code.muted { (client) } }
                    td { (moment(chain.created_at)) }
                    td { (optional(chain.last_used_at, "never")) }
                    td { (chain.rotations) }
                    td { (optional(chain.expires_at, "never")) }
                    td { button type="button" data-revoke=(chain.id) { "Revoke" } }
                }
            }
        },
    )
}
