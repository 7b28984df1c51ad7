//! Open redirects on the OAuth2 realm (`docs/reliability.md#open-redirects`, RFC 9700 section
//! 4.1, RFC 6749 section 10.15): a redirect URI that is not exactly a registered one (or a
//! registered loopback one on another port) gets the error page and never a `Location`, before
//! and after login; logout never sends the browser to a URI its client did not register.

use reqwest::Response;

use crate::destinations::PARSER_CONFUSION;
use crate::support::authorize::*;
use crate::support::*;

/// Near misses of the confidential client's `https://app.test/cb`.
const NEAR_APP_CALLBACK: &[&str] = &[
    "https://app.test/cb/extra",
    "https://app.test/cb/",
    "https://app.test/cb?x=1",
    "https://app.test/cb?",
    "https://other.test/cb",
    "https://app.test:443/cb",
    "https://app.test:8443/cb",
    "https://user@app.test/cb",
    "https://user:pw@app.test/cb",
    "https://app.test/cb#",
    "https://app.test/cb#x",
    "https://APP.TEST/cb",
    "HTTPS://app.test/cb",
    "https://app.test/CB",
    "https://app.test/c%62",
    "https://app.test/%63b",
    "https://app.test/./cb",
    "https://app.test/x/../cb",
    "https://app.test/cb/..",
    "https://app.test/cb%2f..%2fx",
    "https://app.test/cb%00",
    " https://app.test/cb",
    "https://app.test/cb ",
    "https://app.test.evil.test/cb",
    "https://evil.test/https://app.test/cb",
    "https://evil.test/?https://app.test/cb",
    "http://app.test/cb",
    "javascript:alert(1)",
    "javascript://app.test/cb",
    "data:text/html,<script>alert(1)</script>",
];

/// Near misses of the public client's loopback `http://localhost/callback`.
const NEAR_LOOPBACK: &[&str] = &[
    "http://localhost.evil.test/callback",
    "http://localhost:5173/callback/",
    "http://localhost:5173/callback/../x",
    "http://localhost:5173/other",
    "http://localhost:5173/%63allback",
    "http://user@localhost:5173/callback",
    "http://localhost:5173@evil.test/callback",
    "http://localhost:5173/callback#x",
    "http://LOCALHOST:5173/callback",
    "http://localhost:05173/callback",
    "http://127.0.0.1:5173/callback",
    "http://[::1]:5173/callback",
    "https://localhost:5173/callback",
    "http://evil.test:5173/callback",
];

fn assert_no_location(response: &Response, case: &str) {
    assert!(header(response, "location").is_none(), "{case}: redirected");
}

#[tokio::test]
async fn redirect_uri_tricks_get_the_error_page_before_and_after_login() {
    let server = TestApp::spawn().await;
    let logged_in = code_for(&server, CONFIDENTIAL, &[]).await.browser;
    let tricks = [
        (CONFIDENTIAL, NEAR_APP_CALLBACK),
        (CONFIDENTIAL, PARSER_CONFUSION),
        (PUBLIC, NEAR_LOOPBACK),
        (PUBLIC, PARSER_CONFUSION),
    ];
    for (browser, when) in [
        (&server.browser(), "before login"),
        (&logged_in, "after login"),
    ] {
        for (client, uris) in tricks {
            for &uri in uris {
                let pkce = Pkce::new();
                let client = AppClient {
                    redirect_uri: uri,
                    ..client
                };

                let response = browser
                    .authorize(&authorize_query(client, &pkce, &[]))
                    .await;

                let case = format!("{uri:?} for {} {when}", client.id);
                let shown = "Invalid parameter: redirect_uri";
                assert_error_page(response, shown, &case).await;
            }
        }
    }
}

#[tokio::test]
async fn a_redirect_uri_given_twice_never_reaches_the_second_one() {
    let server = TestApp::spawn().await;
    let pkce = Pkce::new();
    let evil = "https://evil.test/cb";
    let twice = |first: &'static str, second: &'static str| {
        let mut query = authorize_query(CONFIDENTIAL, &pkce, &[]);
        query.push('&');
        query.push_str(&form_query(&[
            ("redirect_uri", first),
            ("redirect_uri", second),
        ]));
        query
    };

    let evil_last = server.browser().authorize(&twice(APP_CALLBACK, evil)).await;
    let evil_first = server.browser().authorize(&twice(evil, APP_CALLBACK)).await;

    assert_error_page(evil_last, "Invalid parameter: redirect_uri", "evil last").await;
    let expected = ("invalid_request", "duplicated parameter");
    let iss = issuer(&server);
    assert_error_redirect(
        &evil_first,
        APP_CALLBACK,
        expected,
        Some(STATE),
        &iss,
        "evil first",
    );
}

#[tokio::test]
async fn a_request_without_state_succeeds_and_still_names_the_issuer() {
    let server = TestApp::spawn().await;
    let browser = server.browser();
    let pkce = Pkce::new();
    let pairs = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", APP_CALLBACK),
        ("code_challenge", pkce.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];

    let response = browser.authorize_through_form(&form_query(&pairs)).await;

    let callback = Callback::from(&response);
    assert_eq!(callback.names(), ["code", "session_state", "iss"]);
    assert_eq!(callback.get("iss"), Some(issuer(&server).as_str()));
}

#[tokio::test]
async fn logout_never_redirects_to_a_uri_its_client_did_not_register() {
    let server = TestApp::spawn().await;
    let public = log_in_for_tokens(&server, PUBLIC, "openid").await;
    let public_hint = member(&public, "id_token");
    let logged_in = code_for(&server, CONFIDENTIAL, &[]).await.browser;
    let mut uris = vec![
        APP_CALLBACK,
        "https://app.test/logged-out/",
        "https://app.test/logged-out?x=1",
        "https://app.test/logged-out#x",
        "https://APP.test/logged-out",
        "http://app.test/logged-out",
        "http://localhost:5173/",
    ];
    uris.extend_from_slice(PARSER_CONFUSION);
    for (browser, when) in [
        (&server.browser(), "without a session"),
        (&logged_in, "with one"),
    ] {
        for uri in &uris {
            let named = [
                vec![("client_id", CLIENT_ID)],
                vec![("client_id", PUBLIC_CLIENT)],
                vec![("id_token_hint", public_hint.as_str())],
                vec![],
            ];
            for mut pairs in named {
                pairs.push(("post_logout_redirect_uri", uri));
                let query = form_query(&pairs);

                let response = browser.get(&format!("{LOGOUT_PATH}?{query}")).await;

                let case = format!("{pairs:?} {when}");
                assert_no_location(&response, &case);
                assert!(!response.status().is_redirection(), "{case}");
            }
        }
    }
    let registered = [
        ("id_token_hint", public_hint.as_str()),
        ("post_logout_redirect_uri", APP_LOGGED_OUT),
    ];
    let other_clients = logged_in
        .get(&format!("{LOGOUT_PATH}?{}", form_query(&registered)))
        .await;
    assert_no_location(
        &other_clients,
        "another client's registered URI with this hint",
    );
}
