//! `docs/protocol.md#connect`, `docs/protocol.md#login`, `docs/reliability.md#open-redirects`: the
//! SSO session, session fixation, and flows that are kept apart server side.

use crate::support::*;

#[tokio::test]
async fn a_second_connect_in_a_logged_in_browser_skips_the_form_and_issues_new_tokens() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let query = connect_query(KEY_WITH_REFRESH, APP_CALLBACK);
    let first = Tokens::from_redirect(&browser.log_in(&query).await);

    let response = browser.connect(&query).await;

    assert_eq!(response.status(), 302, "SSO answers /connect at once");
    assert_not_cached(&response);
    let second = Tokens::from_redirect(&response);
    assert_eq!(second.url.path(), "/cb");
    assert_eq!(second.parameter_names(), ["jwt", "refresh"]);
    assert_ne!(
        second.refresh(),
        first.refresh(),
        "each login gets its own refresh token"
    );
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, second.refresh())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_logged_in_browser_is_still_refused_a_destination_its_key_does_not_allow() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    browser
        .log_in(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;

    let response = browser
        .connect(&connect_query(KEY_WITH_REFRESH, "https://evil.test/cb"))
        .await;

    assert_eq!(response.status(), 400);
    assert!(
        header(&response, "location").is_none(),
        "no redirect after login either"
    );
}

#[tokio::test]
async fn a_session_id_planted_before_login_is_replaced_at_login() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    browser.plant_cookie(SESSION_COOKIE, "planted-by-an-attacker");

    let response = browser
        .log_in(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;

    assert_eq!(response.status(), 303);
    let session = browser.cookie(SESSION_COOKIE).expect("a session cookie");
    assert_ne!(session, "planted-by-an-attacker");
    assert!(session.len() >= 43, "a 256-bit session id: {session}");
}

#[tokio::test]
async fn each_login_gets_a_new_session_id() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let first_form = browser.open_form("destination=oob").await;
    let second_form = browser.open_form("destination=oob").await;
    browser
        .submit_login(&first_form, USER_NICK, USER_PASSWORD)
        .await;
    let first_session = browser.cookie(SESSION_COOKIE).expect("a session");

    browser
        .submit_login(&second_form, USER_NICK, USER_PASSWORD)
        .await;

    let second_session = browser.cookie(SESSION_COOKIE).expect("a session");
    assert_ne!(first_session, second_session);
}

#[tokio::test]
async fn two_flows_in_one_browser_each_land_on_their_own_destination() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let first = browser
        .open_form(&connect_query(
            KEY_WITH_REFRESH,
            "https://app.test/cb?tab=first",
        ))
        .await;
    let second = browser
        .open_form(&connect_query(OTHER_KEY_WITH_REFRESH, OTHER_CALLBACK))
        .await;

    let second_done = browser
        .submit_login(&second, USER_NICK, USER_PASSWORD)
        .await;
    let first_done = browser.submit_login(&first, USER_NICK, USER_PASSWORD).await;

    let (first_done, second_done) = (
        Tokens::from_redirect(&first_done),
        Tokens::from_redirect(&second_done),
    );
    assert_eq!(first_done.url.host_str(), Some("app.test"));
    assert_eq!(first_done.url.query_pairs().next().unwrap().1, "first");
    assert_eq!(second_done.url.host_str(), Some("other.test"));
    let own_key = app
        .refresh_with(KEY_WITH_REFRESH, first_done.refresh())
        .await;
    let other_key = app
        .refresh_with(OTHER_KEY_WITH_REFRESH, second_done.refresh())
        .await;
    assert_eq!(
        own_key.status(),
        200,
        "the first flow's token belongs to its key"
    );
    assert_eq!(
        other_key.status(),
        200,
        "the second flow's token belongs to its key"
    );
}

#[tokio::test]
async fn a_login_form_cannot_be_submitted_twice() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let form = browser
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    browser.submit_login(&form, USER_NICK, USER_PASSWORD).await;

    let replay = browser.submit_login(&form, USER_NICK, USER_PASSWORD).await;

    assert_eq!(replay.status(), 400);
    assert!(
        header(&replay, "location").is_none(),
        "a replayed form hands out no tokens"
    );
}
