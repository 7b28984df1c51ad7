//! RP-initiated logout at `.../openid-connect/logout` (`docs/protocol.md#realm-logout`): a
//! registered `post_logout_redirect_uri` of the client named by `id_token_hint` or `client_id`
//! gets a 302 with `state`, the SSO session ends and its chains are revoked (offline ones stay);
//! anything else is a page, and a logout nobody vouched for asks first, with a CSRF token bound
//! to the session.

use reqwest::Response;
use serde_json::{Value, json};

use crate::support::authorize::*;
use crate::support::oauth::assert_oauth_error;
use crate::support::*;

/// A browser logged in with two chains of one session: `openid`, and `openid offline_access`.
async fn logged_in_twice(server: &TestApp) -> (Browser, Value, Value) {
    let issued = code_for(server, CONFIDENTIAL, &[("scope", "openid")]).await;
    let online = exchange_code(
        server,
        CONFIDENTIAL,
        &issued.code,
        Some(&issued.pkce.verifier),
    );
    let online: Value = online.await.json().await.unwrap();
    let pkce = Pkce::new();
    let query = authorize_query(CONFIDENTIAL, &pkce, &[("scope", "openid offline_access")]);
    let sso = issued.browser.authorize(&query).await;
    let code = Callback::from(&sso).code().to_owned();
    let offline = exchange_code(server, CONFIDENTIAL, &code, Some(&pkce.verifier));
    let offline: Value = offline.await.json().await.unwrap();
    assert_eq!(offline["scope"], "openid profile email offline_access");
    (issued.browser, online, offline)
}

async fn logout(browser: &Browser, pairs: &[(&str, &str)]) -> Response {
    browser
        .get(&format!("{LOGOUT_PATH}?{}", form_query(pairs)))
        .await
}

/// Whether the browser's SSO session still gives a code without the form.
async fn still_logged_in(browser: &Browser) -> bool {
    let query = authorize_query(CONFIDENTIAL, &Pkce::new(), &[]);
    let response = browser.authorize(&query).await;
    !location(&response).starts_with("/login?")
}

async fn assert_page(response: Response, status: u16, shown: &str, case: &str) {
    assert_eq!(response.status(), status, "{case}");
    assert!(
        header(&response, "location").is_none(),
        "{case}: no redirect"
    );
    let html = text(response).await;
    assert!(html.contains(shown), "{case}: {shown} in {html}");
}

#[tokio::test]
async fn a_registered_uri_named_by_the_id_token_hint_ends_the_session_but_not_offline_chains() {
    let server = TestApp::spawn().await;
    let (browser, online, offline) = logged_in_twice(&server).await;
    let hint = member(&online, "id_token");

    let response = logout(
        &browser,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", APP_LOGGED_OUT),
            ("state", "bye"),
        ],
    )
    .await;

    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), format!("{APP_LOGGED_OUT}?state=bye"));
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    assert!(!still_logged_in(&browser).await, "the SSO session ended");
    let refresh = refresh_grant(&server, CONFIDENTIAL, &member(&online, "refresh_token")).await;
    assert_oauth_error(
        refresh,
        400,
        "invalid_grant",
        "Session not active",
        "online",
    )
    .await;
    let offline = refresh_grant(&server, CONFIDENTIAL, &member(&offline, "refresh_token")).await;
    assert_eq!(offline.status(), 200, "offline_access survives the logout");
    let reasons: Vec<Value> = listed_tokens(&server, "")
        .await
        .iter()
        .map(|c| c["revoked_reason"].clone())
        .collect();
    assert_eq!(reasons, [Value::Null, json!("logout")], "newest first");
}

#[tokio::test]
async fn a_registered_uri_named_by_client_id_redirects_without_state_when_none_was_sent() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[]).await;
    let pairs = [
        ("client_id", CLIENT_ID),
        ("post_logout_redirect_uri", APP_LOGGED_OUT),
    ];

    let response = logout(&issued.browser, &pairs).await;

    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), APP_LOGGED_OUT);
    assert!(!still_logged_in(&issued.browser).await);
}

#[tokio::test]
async fn an_unregistered_uri_gets_a_confirmation_page_whose_csrf_token_is_checked() {
    let server = TestApp::spawn().await;
    let (browser, online, _) = logged_in_twice(&server).await;
    let pairs = [
        ("client_id", CLIENT_ID),
        ("post_logout_redirect_uri", "https://evil.test/"),
    ];

    let page = logout(&browser, &pairs).await;

    assert_eq!(page.status(), 200);
    assert!(header(&page, "location").is_none());
    let html = text(page).await;
    assert!(html.contains("is not registered for this client"), "{html}");
    assert!(still_logged_in(&browser).await, "nothing ended yet");
    let csrf = hidden_input(&html, "confirm");
    let forged = browser
        .post(LOGOUT_PATH, &form_query(&[("confirm", "forged")]))
        .await;
    let why = "The logout could not be verified (CSRF). Start again.";
    assert_page(forged, 400, why, "a wrong CSRF token").await;
    assert!(
        still_logged_in(&browser).await,
        "a forged confirmation ends nothing"
    );

    let confirmed = browser
        .post(LOGOUT_PATH, &form_query(&[("confirm", &csrf)]))
        .await;

    assert_page(confirmed, 200, "<h1>You are logged out</h1>", "confirmed").await;
    assert!(!still_logged_in(&browser).await);
    let refresh = refresh_grant(&server, CONFIDENTIAL, &member(&online, "refresh_token")).await;
    assert_oauth_error(
        refresh,
        400,
        "invalid_grant",
        "Session not active",
        "online",
    )
    .await;
}

#[tokio::test]
async fn another_browsers_confirmation_token_ends_nothing() {
    let server = TestApp::spawn().await;
    let victim = code_for(&server, CONFIDENTIAL, &[]).await.browser;
    let attacker = code_for(&server, CONFIDENTIAL, &[]).await.browser;
    let page = text(logout(&attacker, &[]).await).await;
    let attackers_token = hidden_input(&page, "confirm");

    let forged = victim
        .post(LOGOUT_PATH, &form_query(&[("confirm", &attackers_token)]))
        .await;

    assert_eq!(forged.status(), 400);
    assert!(still_logged_in(&victim).await);
}

#[tokio::test]
async fn a_hint_alone_logs_out_at_once_and_without_a_session_there_is_nothing_to_ask() {
    let server = TestApp::spawn().await;
    let (browser, online, _) = logged_in_twice(&server).await;
    let hint = member(&online, "id_token");

    let hinted = logout(&browser, &[("id_token_hint", &hint)]).await;
    let nobody = logout(&server.browser(), &[]).await;

    assert_page(hinted, 200, "<h1>You are logged out</h1>", "a hint alone").await;
    assert!(!still_logged_in(&browser).await);
    assert_page(nobody, 200, "<h1>You are logged out</h1>", "no session").await;
}

/// The hint names its session: another client (no cookie of that browser) ends it too.
#[tokio::test]
async fn a_hint_sent_without_the_browsers_cookie_still_ends_its_session() {
    let server = TestApp::spawn().await;
    let (browser, online, offline) = logged_in_twice(&server).await;
    let hint = member(&online, "id_token");
    let pairs = [
        ("id_token_hint", hint.as_str()),
        ("post_logout_redirect_uri", APP_LOGGED_OUT),
    ];

    let response = logout(&server.browser(), &pairs).await;

    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), APP_LOGGED_OUT);
    assert!(
        !still_logged_in(&browser).await,
        "the hinted SSO session ended"
    );
    let online = refresh_grant(&server, CONFIDENTIAL, &member(&online, "refresh_token")).await;
    assert_oauth_error(online, 400, "invalid_grant", "Session not active", "online").await;
    let offline = refresh_grant(&server, CONFIDENTIAL, &member(&offline, "refresh_token")).await;
    assert_eq!(offline.status(), 200, "the offline chain stays");
}

#[tokio::test]
async fn an_expired_but_genuine_hint_still_names_its_client() {
    let server = TestApp::spawn().await;
    let (browser, online, _) = logged_in_twice(&server).await;
    set_clock(&server, json!({"advance": "2d"})).await;
    let hint = member(&online, "id_token");

    let pairs = [
        ("id_token_hint", hint.as_str()),
        ("post_logout_redirect_uri", APP_LOGGED_OUT),
    ];
    let response = logout(&browser, &pairs).await;

    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), APP_LOGGED_OUT);
}

#[tokio::test]
async fn bad_hints_and_clients_are_a_400_page() {
    let server = TestApp::spawn().await;
    let (browser, online, _) = logged_in_twice(&server).await;
    let hint = member(&online, "id_token");
    let tampered = Jwt::tampered(&hint);
    let access = member(&online, "access_token");
    let uri = ("post_logout_redirect_uri", APP_LOGGED_OUT);
    #[rustfmt::skip]
    let cases = [
        (vec![("id_token_hint", tampered.as_str()), uri], "Invalid IDToken", "a tampered hint"),
        (vec![("id_token_hint", "garbage"), uri], "Invalid IDToken", "not a JWT"),
        (vec![("id_token_hint", access.as_str()), uri], "Invalid IDToken", "an access token"),
        (vec![("id_token_hint", hint.as_str()), ("client_id", PUBLIC_CLIENT), uri], "Parameter client_id does not match the client from ID token", "another client_id"),
        (vec![("client_id", "nobody"), uri], "Invalid parameter: client_id", "an unknown client"),
    ];
    for (pairs, shown, case) in cases {
        let response = logout(&browser, &pairs).await;
        assert_page(
            response,
            400,
            &format!(r#"<p class="error">{shown}</p>"#),
            case,
        )
        .await;
    }
    assert!(
        still_logged_in(&browser).await,
        "none of them ended the session"
    );
}
