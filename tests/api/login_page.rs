//! `docs/protocol.md#login`, `docs/protocol.md#headers`: the login page itself, shown only for a
//! live flow.

use crate::support::*;

#[tokio::test]
async fn the_login_page_lists_the_configured_users_and_cannot_be_framed() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let connected = browser.connect("destination=oob").await;

    let response = browser.get(&location(&connected)).await;

    assert_eq!(response.status(), 200);
    assert_html_page(&response);
    let html = text(response).await;
    for shown in [
        USER_NICK,
        USER_EMAIL,
        USER_UID,
        "noemail",
        r#"type="password""#,
    ] {
        assert!(html.contains(shown), "the page shows {shown}");
    }
    assert!(
        !html.contains(USER_PASSWORD),
        "the page never shows a password"
    );
}

#[tokio::test]
async fn the_login_page_without_a_live_flow_is_a_400() {
    let app = TestApp::spawn().await;
    let cases = [
        ("/login", "no flow"),
        ("/login?flow=", "an empty flow"),
        ("/login?flow=no-such-flow", "an unknown flow"),
    ];
    for (path, case) in cases {
        let response = app.browser().get(path).await;

        assert_eq!(response.status(), 400, "{case}");
        assert_not_cached(&response);
    }
}
