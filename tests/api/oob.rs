//! `docs/protocol.md#oob`: `oob` resolves to this server's `/oob`, a page that shows the tokens.

use crate::support::*;

#[tokio::test]
async fn oob_resolves_to_this_servers_oob_page_which_shows_the_tokens() {
    let app = TestApp::spawn().await;
    let tokens = app.log_in(KEY_WITH_REFRESH, "oob").await;
    assert_eq!(
        tokens.url.as_str().split('?').next(),
        Some(format!("{}/oob", app.address).as_str())
    );
    assert_eq!(tokens.parameter_names(), ["jwt", "refresh"]);

    let response = app.browser().get(tokens.url.as_str()).await;

    assert_eq!(response.status(), 200);
    assert_html_page(&response);
    let html = text(response).await;
    for shown in [tokens.jwt.as_str(), tokens.refresh(), USER_NICK, USER_UID] {
        assert!(html.contains(shown), "the page shows {shown}");
    }
}

#[tokio::test]
async fn oob_without_a_refresh_permitted_key_carries_only_the_jwt() {
    let app = TestApp::spawn().await;
    let cases = [
        (KEY_WITHOUT_REFRESH, "a key without refresh"),
        ("no-such-key", "an unknown key"),
    ];
    for (key, case) in cases {
        let tokens = app.log_in(key, "oob").await;

        assert_eq!(tokens.url.path(), "/oob", "{case}");
        assert_eq!(tokens.parameter_names(), ["jwt"], "{case}");
    }
}

#[tokio::test]
async fn the_oob_page_without_a_readable_jwt_is_still_a_page_and_never_a_500() {
    let app = TestApp::spawn().await;
    for query in [
        "",
        "jwt=",
        "jwt=not.a.jwt",
        "jwt=%3Cscript%3E",
        "jwt=a.%FF%FE.b",
    ] {
        let response = app.oob(query).await;

        assert!(
            response.status().is_success() || response.status().is_client_error(),
            "/oob?{query}"
        );
        let html = text(response).await;
        assert!(
            !html.contains("<script>"),
            "/oob?{query} escapes what it shows"
        );
    }
}

#[tokio::test]
async fn an_expiry_after_the_year_9999_is_shown_as_unix_seconds_not_a_500() {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let app = TestApp::spawn().await;
    // RFC 3339 has four-digit years; this `exp` is in the year 11476.
    let payload = URL_SAFE_NO_PAD.encode(r#"{"exp":300000000000}"#);

    let response = app.oob(&format!("jwt=e30.{payload}.c2ln")).await;

    assert_eq!(response.status(), 200);
    let html = text(response).await;
    assert!(html.contains("300000000000"), "{html}");
}
