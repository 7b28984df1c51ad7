//! `docs/protocol.md#login`: the login form, its CSRF token, the SSO session, and the 303 with
//! tokens.

use crate::support::*;

#[tokio::test]
async fn a_correct_login_is_a_303_to_the_destination_with_its_query_then_jwt_then_refresh() {
    let app = TestApp::spawn().await;
    let browser = app.browser();

    let response = browser
        .log_in(&connect_query(
            KEY_WITH_REFRESH,
            "https://app.test/cb?b=2&a=1",
        ))
        .await;

    assert_eq!(response.status(), 303);
    assert_not_cached(&response);
    let tokens = Tokens::from_redirect(&response);
    assert!(
        tokens
            .url
            .as_str()
            .starts_with("https://app.test/cb?b=2&a=1&jwt="),
        "{}",
        tokens.url
    );
    assert_eq!(tokens.parameter_names(), ["b", "a", "jwt", "refresh"]);
    let cookie = header(&response, "set-cookie").expect("a session cookie");
    assert!(
        cookie.starts_with(&format!("{SESSION_COOKIE}=")),
        "{cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
}

#[tokio::test]
async fn a_key_without_the_refresh_permission_gets_a_jwt_and_no_refresh_parameter() {
    let app = TestApp::spawn().await;

    let response = app
        .browser()
        .log_in(&connect_query(KEY_WITHOUT_REFRESH, APP_CALLBACK))
        .await;

    assert_eq!(response.status(), 303);
    assert_eq!(Tokens::from_redirect(&response).parameter_names(), ["jwt"]);
}

#[tokio::test]
async fn the_user_may_type_the_nick_or_the_email_in_any_case() {
    let app = TestApp::spawn().await;
    for username in [USER_NICK, USER_EMAIL, "STIKSELS", " stiksels "] {
        let browser = app.browser();
        let form = browser.open_form("destination=oob").await;

        let response = browser.submit_login(&form, username, USER_PASSWORD).await;

        assert_eq!(response.status(), 303, "username {username:?}");
    }
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_with_an_error_and_no_redirect() {
    let app = TestApp::spawn().await;
    let cases = [
        (USER_NICK, "wrong", "a wrong password"),
        (USER_NICK, "", "an empty password"),
        ("nobody", USER_PASSWORD, "an unknown user"),
        ("noemail", USER_PASSWORD, "another user's password"),
    ];
    let browser = app.browser();
    let form = browser
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    for (username, password, case) in cases {
        let response = browser.submit_login(&form, username, password).await;

        assert_eq!(response.status(), 200, "{case}");
        assert!(
            header(&response, "location").is_none(),
            "{case}: no redirect"
        );
        assert_html_page(&response);
        let html = text(response).await;
        assert!(
            html.contains("Ongeldige gebruikersnaam of wachtwoord."),
            "{case}: an error"
        );
        assert!(html.contains(&form.flow), "{case}: the same flow");
    }

    let after_errors = browser.submit_login(&form, USER_NICK, USER_PASSWORD).await;

    assert_eq!(
        after_errors.status(),
        303,
        "the form still works after wrong passwords"
    );
}

#[tokio::test]
async fn cancel_is_a_400_with_an_empty_body_and_ends_the_flow() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let form = browser
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    let cancel = [
        ("flow", form.flow.as_str()),
        ("csrf", &form.csrf),
        ("action", "cancel"),
    ];

    let cancelled = browser.submit(&cancel).await;
    let login_after_cancel = browser.submit_login(&form, USER_NICK, USER_PASSWORD).await;

    assert_empty_400(cancelled, "cancel").await;
    assert_eq!(
        login_after_cancel.status(),
        400,
        "a cancelled flow cannot log in"
    );
    assert!(header(&login_after_cancel, "location").is_none());
}

#[tokio::test]
async fn a_form_without_its_csrf_token_or_from_another_browser_is_a_403_without_redirect() {
    let app = TestApp::spawn().await;
    let (victim, attacker) = (app.browser(), app.browser());
    let query = connect_query(KEY_WITH_REFRESH, APP_CALLBACK);
    let form = victim.open_form(&query).await;
    let attackers_form = attacker.open_form(&query).await;
    let cases = [
        (&victim, "", "an empty CSRF token"),
        (
            &victim,
            attackers_form.csrf.as_str(),
            "another browser's CSRF token",
        ),
        (&victim, "AAAA", "a made-up CSRF token"),
        (
            &attacker,
            form.csrf.as_str(),
            "the right token posted from another browser",
        ),
    ];
    for (browser, csrf, case) in cases {
        let forged = LoginForm {
            csrf: csrf.to_owned(),
            ..form.clone()
        };

        let response = browser
            .submit_login(&forged, USER_NICK, USER_PASSWORD)
            .await;

        assert_eq!(response.status(), 403, "{case}");
        assert!(
            header(&response, "location").is_none(),
            "{case}: no redirect"
        );
    }
    let no_csrf_field = [
        ("flow", form.flow.as_str()),
        ("username", USER_NICK),
        ("password", USER_PASSWORD),
        ("action", "login"),
    ];
    let response = victim.submit(&no_csrf_field).await;
    assert_eq!(response.status(), 403, "no CSRF field at all");

    let response = victim.submit_login(&form, USER_NICK, USER_PASSWORD).await;

    assert_eq!(response.status(), 303, "the victim's own form still works");
}
