//! `docs/reliability.md#open-redirects`: only the key's destinations, loopback and `oob` ever
//! receive tokens.

use crate::support::*;

/// Each value reaches the server exactly as written (it is form-encoded into the query).
pub(crate) const PARSER_CONFUSION: &[&str] = &[
    "https://app.test@evil.test/cb",
    "https://app.test%2F@evil.test",
    "https://app.test.evil.test/cb",
    "https://evilapp.test/cb",
    "https:evil.test",
    "//evil.test/cb",
    "/\\evil.test",
    "https://app.test\\@evil.test",
    "http://app.test/cb",
    "https://app.test/cb%0d%0aSet-Cookie:x=1",
    "https://app.test/cb\r\nSet-Cookie:x=1",
    "javascript:alert(1)",
    "data:text/html,x",
    "https://\u{0430}pp.test/cb",
    "https://app.test/cb#fragment",
    "https://app.test/cb/../evil",
    "https://app.test/cbx",
    "https://app.test./cb",
    "https://app.test/%63b",
    "https://app.test:8443/cb",
    "ftp://app.test/cb",
    "http://localhost.evil.test/cb",
    "http://127.0.0.1:80@evil.test/cb",
    "http://[::1]@evil.test",
    "http://localhost/cb%",
    "http://localhost/cb%2",
    "http://localhost/cb?x=%zz",
];

#[tokio::test]
async fn parser_confusion_destinations_are_refused_before_and_after_login() {
    let app = TestApp::spawn().await;
    let logged_in = app.browser();
    logged_in
        .log_in(&form_query(&[
            ("apiKey", KEY_WITH_REFRESH),
            ("destination", APP_CALLBACK),
        ]))
        .await;
    for (browser, when) in [
        (&app.browser(), "before login"),
        (&logged_in, "after login"),
    ] {
        for destination in PARSER_CONFUSION {
            let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", destination)]);

            let response = browser.connect(&query).await;

            assert_eq!(response.status(), 400, "{destination:?} {when}");
            assert!(
                header(&response, "location").is_none(),
                "{destination:?} {when}: no redirect"
            );
            assert!(
                !text(response).await.is_empty(),
                "{destination:?} {when}: an error text"
            );
        }
    }
}

#[tokio::test]
async fn a_raw_crlf_in_the_destination_injects_no_header() {
    let app = TestApp::spawn().await;
    let query = "apiKey=test-key-with-refresh&destination=https://app.test/cb%0d%0aSet-Cookie:x=1";

    let response = app.browser().connect(query).await;

    assert_eq!(response.status(), 400);
    let cookies: Vec<_> = response.headers().get_all("set-cookie").iter().collect();
    assert!(
        cookies
            .iter()
            .all(|c| !c.to_str().unwrap_or("").starts_with("x=")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn loopback_destinations_on_any_port_receive_tokens() {
    let app = TestApp::spawn().await;
    for destination in [
        "http://localhost:5173/cb",
        "http://127.0.0.1:49152/cb",
        "http://[::1]:8000/cb",
    ] {
        let tokens = app.log_in(KEY_WITH_REFRESH, destination).await;

        assert!(
            tokens
                .url
                .as_str()
                .starts_with(&format!("{destination}?jwt=")),
            "{}",
            tokens.url
        );
        assert_eq!(
            tokens.parameter_names(),
            ["jwt", "refresh"],
            "{destination}"
        );
    }
}

#[tokio::test]
async fn token_parameters_already_in_the_destination_are_replaced_by_the_issued_ones() {
    let app = TestApp::spawn().await;
    let public_key = key_from_pem(&app.public_pem().await);
    let cases = [
        (
            KEY_WITH_REFRESH,
            "https://app.test/cb?x=1&jwt=attacker&refresh=attacker",
            vec!["x", "jwt", "refresh"],
        ),
        (
            KEY_WITH_REFRESH,
            "https://app.test/cb?x=1&j%77t=attacker&refresh=",
            vec!["x", "jwt", "refresh"],
        ),
        (
            KEY_WITHOUT_REFRESH,
            "https://app.test/cb?x=1&jwt=attacker&refresh=attacker",
            vec!["x", "jwt"],
        ),
    ];
    for (key, destination, names) in cases {
        let tokens = app.log_in(key, destination).await;

        assert_eq!(tokens.parameter_names(), names, "{destination}");
        assert_eq!(
            tokens.url.query_pairs().next().unwrap().1,
            "1",
            "{destination}: x=1 kept"
        );
        assert!(
            Jwt::parse(&tokens.jwt).verifies_with(&public_key),
            "{destination}: the issued jwt"
        );
        if let Some(refresh) = &tokens.refresh {
            let response = app.refresh_with(key, refresh).await;
            assert_eq!(
                response.status(),
                200,
                "{destination}: the issued refresh token"
            );
        }
    }
}
