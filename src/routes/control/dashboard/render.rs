//! The dashboard's HTML. maud escapes every value it writes, so a nick like `<script>` shows as
//! text. The page has no inline script or style: both are same-origin files (see `mod.rs`).

use maud::{DOCTYPE, Markup, html};

use super::view::Dashboard;
use super::{sessions, tables};
use crate::http::pages::utc_time;

pub fn page(view: &Dashboard) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Dashboard · uitid-emulator" }
                link rel="stylesheet" href="/_emulator/dashboard.css";
                script src="/_emulator/dashboard.js" defer {}
            }
            body {
                header {
                    h1 { "uitid-emulator " span.muted { "control plane" } }
                    nav {
                        @for (id, name) in SECTIONS { a href={ "#" (id) } { (name) } }
                    }
                }
                p #status .error role="alert" hidden {}
                main {
                    (clock(view))
                    (section("users", "Users", view.users.len(), tables::users(view)))
                    (section("api-keys", "API keys", view.api_keys.len(), tables::api_keys(view)))
                    (section("clients", "OAuth2 clients", view.clients.len(), tables::clients(view)))
                    (section("sessions", "OAuth2 sessions", view.sessions.len(), sessions::sessions(view)))
                    (section("refresh-tokens", "Refresh tokens", view.refresh_tokens_stored, tables::refresh_tokens(view)))
                    (section("signing-keys", "Signing keys", view.signing_keys.len(), tables::signing_keys(view)))
                    (section("faults", "Pending faults", view.faults.len(), tables::faults(view)))
                    (section("journal", "Journal", view.journal.len(), tables::journal(view)))
                }
                footer.muted {
                    "Read at " (moment(view.clock.now)) " (emulator clock). The same data as JSON: "
                    code { "GET /_emulator/users" } ", " code { "api-keys" } ", " code { "refresh-tokens" }
                    ", " code { "clock" } ", " code { "keys" } ", " code { "journal" } "."
                }
            }
        }
    }
}

const SECTIONS: [(&str, &str); 9] = [
    ("clock", "Clock"),
    ("users", "Users"),
    ("api-keys", "API keys"),
    ("clients", "OAuth2 clients"),
    ("sessions", "OAuth2 sessions"),
    ("refresh-tokens", "Refresh tokens"),
    ("signing-keys", "Signing keys"),
    ("faults", "Faults"),
    ("journal", "Journal"),
];

fn section(id: &str, title: &str, count: usize, content: Markup) -> Markup {
    html! {
        section #(id) {
            h2 { (title) " " span.count { (count) } }
            (content)
        }
    }
}

fn clock(view: &Dashboard) -> Markup {
    let clock = &view.clock;
    html! {
        section #clock {
            h2 { "Clock" }
            dl.clock {
                dt { "Now" }
                dd #clock-now data-unix=(clock.now) {
                    strong { (utc_time(clock.now)) } " " span.muted { "unix " (clock.now) }
                }
                dt { "Offset from wall time" }
                dd #clock-offset data-seconds=(clock.offset) { (signed_duration(clock.offset)) }
                dt { "Frozen" }
                dd #clock-frozen { @if clock.frozen { "yes: time stands still" } @else { "no" } }
            }
            form #advance-form {
                label for="advance" { "Advance by" }
                input #advance name="advance" value="1h" size="8" required
                    title="A duration such as 1h, 30m, 2d or -5m";
                button type="submit" { "Advance" }
            }
        }
    }
}

/// A moment as UTC RFC 3339, with the unix seconds the JSON shows as its tooltip.
pub fn moment(unix: i64) -> Markup {
    let utc = utc_time(unix);
    html! { time datetime=(utc) title={ "unix " (unix) } { (utc) } }
}

/// `+13h`, `-5m`, `0s`.
fn signed_duration(seconds: i64) -> String {
    let sign = match seconds {
        s if s < 0 => "-",
        0 => "",
        _ => "+",
    };
    let magnitude = std::time::Duration::from_secs(seconds.unsigned_abs());
    format!("{sign}{}", humantime::format_duration(magnitude))
}
