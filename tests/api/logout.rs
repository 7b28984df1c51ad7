//! `docs/protocol.md#logout`: `/logout` ends the SSO session, `/logout-confirm` goes to the
//! destination.

use crate::support::*;

#[tokio::test]
async fn logout_without_a_destination_is_a_400_with_upstreams_text() {
    let app = TestApp::spawn().await;
    let cases = [
        ("/logout", "no destination"),
        ("/logout?destination=", "an empty destination"),
        ("/culturefeed/oauth/logout", "the legacy route"),
    ];
    for (path, case) in cases {
        assert_text_400(app.browser().get(path).await, MISSING_DESTINATION, case).await;
    }
}

#[tokio::test]
async fn logout_to_a_destination_that_is_not_allowed_is_a_400_without_redirect() {
    let app = TestApp::spawn().await;
    let cases = [
        (Some(KEY_WITH_REFRESH), "https://evil.test/cb"),
        (Some(KEY_WITH_REFRESH), OTHER_CALLBACK),
        (None, "javascript:alert(1)"),
        (None, "//evil.test/cb"),
        (None, "https://user@app.test/cb"),
    ];
    for (key, destination) in cases {
        let mut pairs = vec![("destination", destination)];
        pairs.extend(key.map(|k| ("apiKey", k)));

        let response = app.browser().logout(&form_query(&pairs)).await;

        assert_eq!(response.status(), 400, "{destination} with key {key:?}");
        assert!(
            header(&response, "location").is_none(),
            "{destination}: no redirect"
        );
    }
}

#[tokio::test]
async fn logout_redirects_to_logout_confirm_which_redirects_to_the_destination_once() {
    let app = TestApp::spawn().await;
    for route in ["/logout", "/culturefeed/oauth/logout"] {
        let browser = app.browser();
        let destination = "https://app.test/cb?bye=1";
        let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", destination)]);

        let logout = browser.get(&format!("{route}?{query}")).await;
        let confirm = browser.logout_confirm().await;
        let again = browser.logout_confirm().await;

        assert_eq!(logout.status(), 302, "{route}");
        assert_eq!(location(&logout), "/logout-confirm", "{route}");
        assert_not_cached(&logout);
        assert_eq!(confirm.status(), 302, "{route}");
        assert_eq!(location(&confirm), destination, "{route}");
        assert_empty_400(again, "a second /logout-confirm has no destination left").await;
    }
}

#[tokio::test]
async fn logout_confirm_without_a_stored_destination_is_a_400_with_an_empty_body() {
    let app = TestApp::spawn().await;

    let response = app.browser().logout_confirm().await;

    assert_empty_400(response, "a browser that never called /logout").await;
}

#[tokio::test]
async fn logout_ends_the_sso_session_but_refresh_tokens_keep_working() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let connect = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", APP_CALLBACK)]);
    let tokens = Tokens::from_redirect(&browser.log_in(&connect).await);

    browser
        .logout(&form_query(&[("destination", "http://localhost:5173/")]))
        .await;
    browser.logout_confirm().await;

    let reconnect = browser.connect(&connect).await;
    assert_eq!(reconnect.status(), 302);
    assert!(
        location(&reconnect).starts_with("/login?flow="),
        "the form is shown again"
    );
    let refreshed = app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await;
    assert_eq!(
        refreshed.status(),
        200,
        "logout does not revoke refresh tokens"
    );
}

#[tokio::test]
async fn logout_without_a_key_never_treats_another_keys_star_as_an_open_redirect() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            "https://evil.test/cb",
            400,
            "listed by no key, although one key lists *",
        ),
        (APP_CALLBACK, 302, "listed by a configured key"),
        ("http://localhost:5173/", 302, "loopback"),
        ("oob", 302, "oob"),
    ];
    for (destination, status, case) in cases {
        let response = app
            .browser()
            .logout(&form_query(&[("destination", destination)]))
            .await;

        assert_eq!(response.status(), status, "{destination}: {case}");
    }
}
