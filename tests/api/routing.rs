//! `docs/protocol.md#provider-routes`, `docs/protocol.md#differences-from-upstream`: unknown paths
//! are 404 (upstream: 500), wrong methods 405, and every answer of the provider carries the
//! no-store / no-referrer headers.

use reqwest::Method;

use crate::support::*;

#[tokio::test]
async fn unknown_paths_are_404() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/nope",
        "/connect/extra",
        "/CONNECT",
        "/api/refresh",
        "/culturefeed/oauth/refresh",
    ] {
        let response = app.get(path).await;

        assert_eq!(response.status(), 404, "{path}");
        assert_not_cached(&response);
    }
}

#[tokio::test]
async fn wrong_methods_are_405() {
    let app = TestApp::spawn().await;
    let cases = [
        (Method::POST, "/connect"),
        (Method::PATCH, "/culturefeed/oauth/connect"),
        (Method::POST, "/refresh"),
        (Method::PUT, "/login"),
        (Method::DELETE, "/logout"),
        (Method::POST, "/logout-confirm"),
        (Method::POST, "/oob"),
        (Method::POST, "/public.pem"),
        (Method::DELETE, "/.well-known/jwks.json"),
    ];
    for (method, path) in cases {
        let request = app
            .api
            .request(method.clone(), format!("{}{path}", app.address));

        let response = send(request).await;

        assert_eq!(response.status(), 405, "{method} {path}");
    }
}

#[tokio::test]
async fn provider_answers_carry_no_store_and_no_referrer_even_when_they_fail() {
    let app = TestApp::spawn().await;
    let paths = [
        "/connect",
        "/connect?destination=https://evil.test/",
        "/connect?destination=oob",
        "/refresh",
        "/refresh?apiKey=test-key-with-refresh",
        "/refresh?apiKey=test-key-with-refresh&refresh=unknown",
        "/logout?destination=oob",
        "/logout-confirm",
        "/login?flow=unknown",
        "/oob?jwt=x",
    ];
    for path in paths {
        assert_not_cached(&app.get(path).await);
    }
}
