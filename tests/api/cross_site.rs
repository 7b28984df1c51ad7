//! `docs/reliability.md#cross-site-requests`: a page of another origin, open in a browser on the
//! emulator's machine, cannot change anything through the control plane, although the browser
//! is a loopback peer and its form posts and `text/plain` fetches need no CORS preflight.
//! Callers that are not browsers send no `Origin` or `Sec-Fetch-Site` and are served as before.

use reqwest::RequestBuilder;
use serde_json::{Value, json};

use crate::support::*;

/// `POST /_emulator/clock {"advance": "1h"}` as a browser sends a simple request: `text/plain`.
fn advance(server: &TestApp) -> RequestBuilder {
    client()
        .post(server.url("/_emulator/clock"))
        .header("content-type", "text/plain;charset=UTF-8")
        .body(json!({"advance": "1h"}).to_string())
}

async fn offset(server: &TestApp) -> i64 {
    let clock: Value = get_json(&client(), &server.url("/_emulator/clock")).await;
    clock["offset"].as_i64().expect("an offset")
}

#[tokio::test]
async fn a_changing_request_a_browser_sends_for_another_origin_is_refused_and_changes_nothing() {
    let server = server("").await;
    let own = server.address.clone();
    let cases = [
        (
            advance(&server).header("origin", "https://evil.example"),
            "a foreign Origin",
        ),
        (
            advance(&server).header("origin", "null"),
            "Origin null (a sandboxed page)",
        ),
        (
            advance(&server).header("origin", own.replace("127.0.0.1", "localhost")),
            "another name for this host is another origin",
        ),
        (
            advance(&server).header("sec-fetch-site", "cross-site"),
            "Sec-Fetch-Site cross-site",
        ),
        (
            advance(&server).header("sec-fetch-site", "same-site"),
            "Sec-Fetch-Site same-site",
        ),
        (
            advance(&server)
                .header("sec-fetch-site", "cross-site")
                .header("origin", &own),
            "Sec-Fetch-Site wins over an Origin that looks right",
        ),
    ];
    for (request, case) in cases {
        assert_control_error(send(request).await, 403, None, case).await;
    }
    let reset = client()
        .post(server.url("/_emulator/reset"))
        .header("origin", "https://evil.example");
    assert_control_error(send(reset).await, 403, None, "a form post to reset").await;

    assert_eq!(offset(&server).await, 0, "the clock never moved");
}

#[tokio::test]
async fn the_own_origin_the_user_and_clients_that_are_not_browsers_are_served() {
    let server = server("").await;
    let own = server.address.clone();
    let cases = [
        (advance(&server), "no Origin: curl, test code"),
        (
            advance(&server).header("origin", &own),
            "the page's own origin",
        ),
        (
            advance(&server).header("sec-fetch-site", "same-origin"),
            "Sec-Fetch-Site same-origin",
        ),
        (
            advance(&server).header("sec-fetch-site", "none"),
            "Sec-Fetch-Site none: the user's own action",
        ),
    ];
    for (request, case) in cases {
        assert_eq!(send(request).await.status(), 200, "{case}");
    }
    let read = client()
        .get(server.url("/_emulator/clock"))
        .header("sec-fetch-site", "cross-site");
    assert_eq!(
        send(read).await.status(),
        200,
        "reading is left alone: the browser keeps the answer from the other page"
    );

    assert_eq!(offset(&server).await, 4 * 3600);
}

/// `POST /_emulator/tokens` with this `Host` header: what a DNS-rebinding page would send.
async fn mint_as(server: &TestApp, host: &str, bearer: Option<&str>) -> reqwest::Response {
    let mut request = client()
        .post(server.url("/_emulator/tokens"))
        .header("host", host)
        .json(&json!({"user": USER_NICK}));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    send(request).await
}

#[tokio::test]
async fn without_an_admin_token_only_loopback_names_and_public_urls_host_are_served() {
    let open = server("").await;
    let port = open.address.rsplit(':').next().unwrap().to_owned();
    for host in [
        "rebind.evil.test",
        "evil.test:80",
        "127.0.0.1.evil.test",
        "localhost.evil.test",
    ] {
        let refused = mint_as(&open, host, None).await;
        assert_control_error(refused, 403, None, host).await;
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LOCALHOST".into(),
        format!("app.localhost:{port}"),
        format!("[::1]:{port}"),
        "127.0.0.2".into(),
    ] {
        let served = mint_as(&open, &host, None).await;
        assert_eq!(served.status(), 200, "{host}");
    }

    let guarded = server("[admin]\ntoken = \"t0ken\"").await;
    let with_token = mint_as(&guarded, "rebind.evil.test", Some("t0ken")).await;
    assert_eq!(
        with_token.status(),
        200,
        "the admin token is the guard when set"
    );
}
