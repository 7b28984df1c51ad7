//! The login form in the flow's language (`nl`, `fr`, `de`).

use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

use crate::http::pages;
use crate::service::LoginPage;

struct Texts {
    title: &'static str,
    username: &'static str,
    password: &'static str,
    login: &'static str,
    cancel: &'static str,
    failed: &'static str,
    accounts: &'static str,
}

fn texts(lang: &str) -> Texts {
    match lang {
        "fr" => Texts {
            title: "Se connecter avec UiTiD",
            username: "E-mail ou nom d'utilisateur",
            password: "Mot de passe",
            login: "Se connecter",
            cancel: "Annuler",
            failed: "Nom d'utilisateur ou mot de passe incorrect.",
            accounts: "Comptes de test (uitid-emulator)",
        },
        "de" => Texts {
            title: "Mit UiTiD anmelden",
            username: "E-Mail oder Benutzername",
            password: "Passwort",
            login: "Anmelden",
            cancel: "Abbrechen",
            failed: "Ungültiger Benutzername oder ungültiges Passwort.",
            accounts: "Testkonten (uitid-emulator)",
        },
        _ => Texts {
            title: "Aanmelden met UiTiD",
            username: "E-mail of gebruikersnaam",
            password: "Wachtwoord",
            login: "Aanmelden",
            cancel: "Annuleren",
            failed: "Ongeldige gebruikersnaam of wachtwoord.",
            accounts: "Testaccounts (uitid-emulator)",
        },
    }
}

pub fn render(status: StatusCode, login: &LoginPage) -> Response {
    let t = texts(&login.lang);
    let body = html! {
        h1 { (t.title) }
        @if login.failed { p.error role="alert" { (t.failed) } }
        form method="post" action="/login" {
            input type="hidden" name="flow" value=(login.flow_id);
            input type="hidden" name="csrf" value=(login.csrf);
            label for="username" { (t.username) }
            input id="username" name="username" autocomplete="username" value=(login.username) autofocus;
            label for="password" { (t.password) }
            input id="password" name="password" type="password" autocomplete="current-password";
            div {
                button type="submit" name="action" value="login" { (t.login) }
                button type="submit" name="action" value="cancel" formnovalidate { (t.cancel) }
            }
        }
        h2 { (t.accounts) }
        table {
            @for user in &login.users {
                tr {
                    td { code { (user.nick) } }
                    td { (user.email) }
                    td { code { (user.uid) } }
                }
            }
        }
    };
    pages::page(status, &login.lang, t.title, body, None)
}
