//! `docs/protocol.md#headers`, `docs/reliability.md#open-redirects`: every answer that carries a
//! token, whichever way it is handed out, is `no-store` and `no-referrer`, and every redirect
//! the server makes is a 302 or 303: never a 301 or 308, which a browser caches, nor a 307,
//! which would send a form's password on to the destination.

use reqwest::Response;
use serde_json::json;

use crate::support::*;

/// `(what, answer)` for each way a token or a redirect leaves a form-mode server.
async fn answers(app: &TestApp) -> Vec<(&'static str, Response)> {
    let browser = app.browser();
    let query = connect_query(KEY_WITH_REFRESH, APP_CALLBACK);
    let to_form = browser.connect(&query).await;
    let form = browser.read_form(&location(&to_form)).await;
    let login = browser.submit_login(&form, USER_NICK, USER_PASSWORD).await;
    let tokens = Tokens::from_redirect(&login);
    let sso = browser.connect(&query).await;
    let refresh = app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await;
    let oob = app
        .get(&format!("/oob?{}", form_query(&[("jwt", &tokens.jwt)])))
        .await;
    let body = json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH});
    let minted = post(app, "tokens", &body).await;
    let logout = browser
        .logout(&form_query(&[("destination", APP_CALLBACK)]))
        .await;
    let confirmed = browser.logout_confirm().await;
    vec![
        ("/connect to the form", to_form),
        ("the login form's redirect with tokens", login),
        ("/connect in a logged-in browser", sso),
        ("/refresh", refresh),
        ("the /oob page", oob),
        ("POST /_emulator/tokens", minted),
        ("/logout", logout),
        ("/logout-confirm", confirmed),
    ]
}

#[tokio::test]
async fn every_answer_with_a_token_is_not_stored_and_every_redirect_is_302_or_303() {
    let app = TestApp::spawn().await;
    let headless = Setup::headless(USER_NICK).spawn().await;
    let query = connect_query(KEY_WITH_REFRESH, APP_CALLBACK);

    let mut answers = answers(&app).await;
    answers.push((
        "a headless /connect",
        headless.browser().connect(&query).await,
    ));

    for (what, response) in &answers {
        let status = response.status().as_u16();
        assert!(
            matches!(status, 200 | 302 | 303),
            "{what}: {status}, never 301, 307 or 308"
        );
        assert_not_cached(response);
    }
    let statuses: Vec<u16> = answers.iter().map(|(_, r)| r.status().as_u16()).collect();
    assert_eq!(statuses, [302, 303, 302, 200, 200, 200, 302, 302, 302]);
}
