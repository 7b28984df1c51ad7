//! One table per section of the dashboard; an empty list says so instead of an empty table.

use maud::{Markup, html};

use super::render::moment;
use super::view::{Dashboard, JOURNAL_SHOWN};
use crate::model::Permission;

pub fn users(view: &Dashboard) -> Markup {
    table(
        &["Nick", "Email", "uid", "Extra claims"],
        view.users.is_empty(),
        html! {
            @for user in &view.users {
                tr {
                    td { strong { (user.nick) } }
                    td { (user.email) }
                    td { code { (user.uid) } }
                    td { @if !user.claims.is_empty() { code { (serde_json::Value::Object(user.claims.clone())) } } }
                }
            }
        },
    )
}

pub fn api_keys(view: &Dashboard) -> Markup {
    table(
        &["Name", "Key", "Permissions", "Destinations"],
        view.api_keys.is_empty(),
        html! {
            @for key in &view.api_keys {
                tr {
                    td { strong { (key.name) } }
                    td { code { (key.key_hint) } }
                    td { @for p in &key.permissions { span.tag { (permission(*p)) } " " } }
                    td { @for d in &key.destinations { code { (d) } " " } }
                }
            }
        },
    )
}

pub fn clients(view: &Dashboard) -> Markup {
    table(
        &["Name", "Client id", "Grants", "APIs"],
        view.clients.is_empty(),
        html! {
            @for client in &view.clients {
                tr {
                    td { strong { (client.name) } @if client.public { " " span.tag { "public" } } }
                    td { code { (client.client_id) } }
                    td { @for g in &client.grants { span.tag { (g.wire_name()) } " " } }
                    td { @for api in &client.apis { code { (api) } " " } }
                }
            }
        },
    )
}

pub fn refresh_tokens(view: &Dashboard) -> Markup {
    let headers = [
        "Id",
        "User",
        "API key or client",
        "Created",
        "Last used",
        "Expires",
        "",
    ];
    html! {
        @if view.refresh_tokens_stored > view.refresh_tokens.len() {
            p.muted { "The newest " (view.refresh_tokens.len()) " of " (view.refresh_tokens_stored) "." }
        }
        (table(&headers, view.refresh_tokens.is_empty(), html! {
            @for token in &view.refresh_tokens {
                tr #{ "refresh-token-" (token.id) } class=[token.revoked_at.map(|_| "revoked")] {
                    td { code { (token.id) } }
                    td { (view.nick(&token.user).unwrap_or("")) " " code.muted { (token.user) } }
                    td {
                        @if let Some(client) = &token.client {
                            span.tag { "chain" } " " (view.client_name(client).unwrap_or(client))
                            " " span.muted { "rotated " (token.rotations) "×" }
                        } @else { (token.api_key.as_deref().unwrap_or("(key deleted)")) }
                    }
                    td { (moment(token.created_at)) }
                    td { (optional(token.last_used_at, "never")) }
                    td { (optional(token.expires_at, "never")) }
                    td {
                        @if let Some(revoked) = token.revoked_at {
                            span.tag.bad { "revoked" } " " (moment(revoked))
                            @if let Some(reason) = &token.revoked_reason { " " span.muted { (reason) } }
                        }
                        @else { button type="button" data-revoke=(token.id) { "Revoke" } }
                    }
                }
            }
        }))
    }
}

pub fn signing_keys(view: &Dashboard) -> Markup {
    table(
        &["kid", "State", "Created", "Retiring at"],
        view.signing_keys.is_empty(),
        html! {
            @for key in &view.signing_keys {
                tr {
                    td { code { (key.kid) } }
                    td {
                        @if key.active { span.tag.good { "active" } }
                        @else if key.published { span.tag { "retiring, still published" } }
                        @else { span.tag.bad { "retired" } }
                    }
                    td { (optional(key.created_at, "key file")) }
                    td { (optional(key.retiring_at, "")) }
                }
            }
        },
    )
}

pub fn faults(view: &Dashboard) -> Markup {
    table(
        &["Id", "Route", "Matches", "Effect", "Uses left"],
        view.faults.is_empty(),
        html! {
            @for fault in &view.faults {
                tr {
                    td { (fault.id) }
                    td { code { (fault.route) } }
                    td { (fault.matches) }
                    td { span.tag.bad { (fault.effect) } }
                    td { (fault.uses) }
                }
            }
        },
    )
}

pub fn journal(view: &Dashboard) -> Markup {
    let headers = [
        "Time",
        "Request",
        "Status",
        "ms",
        "API key",
        "User",
        "Lineage / fault",
    ];
    html! {
        p.muted { "Provider and Entry API requests, newest first (at most " (JOURNAL_SHOWN) ")." }
        (table(&headers, view.journal.is_empty(), html! {
            @for entry in &view.journal {
                tr {
                    td { (moment(entry.time)) }
                    td { code { (entry.method) " " (entry.route) } }
                    td { span.tag.good[entry.status < 400] .bad[entry.status >= 400] { (entry.status) } }
                    td.number { (format!("{:.1}", entry.duration_ms)) }
                    td { (entry.api_key.as_deref().unwrap_or("")) }
                    td { @if let Some(uid) = &entry.user { (view.nick(uid).unwrap_or(uid)) } }
                    td {
                        @if let Some(lineage) = &entry.lineage { code { (lineage) } " " }
                        @if let Some(fault) = &entry.fault { span.tag.bad { (fault) } }
                    }
                }
            }
        }))
    }
}

pub(super) fn table(headers: &[&str], empty: bool, rows: Markup) -> Markup {
    html! {
        @if empty { p.empty { "None." } }
        @else {
            div.scroll { table { thead { tr { @for h in headers { th { (h) } } } } tbody { (rows) } } }
        }
    }
}

pub(super) fn optional(unix: Option<i64>, otherwise: &str) -> Markup {
    html! { @match unix { Some(unix) => (moment(unix)), None => span.muted { (otherwise) } } }
}

/// The permission as the configuration and the JSON spell it (`entry_api`).
fn permission(permission: Permission) -> String {
    let name = serde_json::to_value(permission).ok();
    name.and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
