//! `docs/protocol.md#faults` (effects): broken tokens checked by the suite's own verifier,
//! delays, broken connections seen over raw TCP, and matching on route, API key and user.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::faults::{pending_faults, queue_fault, refresh_token};
use crate::support::*;

const FORGED: &str =
    "Token signature verification failed. The token is likely forged or manipulated.";

async fn refreshed_jwt(app: &TestApp, token: &str) -> String {
    let response = app.refresh_with(KEY_WITH_REFRESH, token).await;
    assert_eq!(response.status(), 200, "the route answers normally");
    text(response).await
}

#[tokio::test]
async fn token_faults_break_exactly_one_property_of_the_handed_out_token() {
    let app = TestApp::spawn().await;
    let token = refresh_token(&app).await;
    let key = key_from_pem(&app.public_pem().await);
    let jwks = app.jwks().await;
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    let normal = Jwt::parse(&refreshed_jwt(&app, &token).await);

    for (kind, detail) in [
        ("expired", "Token expired (or not yet usable)."),
        ("bad_signature", FORGED),
        ("unknown_kid", FORGED),
        ("wrong_issuer", "Token is not issued by a valid issuer."),
    ] {
        queue_fault(&app, json!({"route": "/refresh", "token": kind})).await;
        let jwt = refreshed_jwt(&app, &token).await;
        let broken = Jwt::parse(&jwt);
        let claims = broken.claims();
        let header: Value = serde_json::from_str(&broken.header).unwrap();
        assert_eq!(
            broken.verifies_with(&key),
            kind != "bad_signature",
            "{kind}"
        );
        assert_eq!(
            claims["exp"].as_i64().unwrap() < unix_now() - 30,
            kind == "expired",
            "{kind}"
        );
        assert_eq!(
            claims["iss"] != normal.claims()["iss"],
            kind == "wrong_issuer",
            "{kind}"
        );
        let kid = header["kid"].as_str();
        assert_eq!(
            kid.is_some_and(|k| !kids.contains(&k)),
            kind == "unknown_kid",
            "{kind}"
        );
        assert_eq!(claims["uid"], USER_UID, "{kind}: still the user's token");
        assert_problem(user_with(&app, &jwt).await, 401, detail, kind).await;
    }
    queue_fault(&app, json!({"route": "/refresh", "token": "malformed"})).await;
    let jwt = refreshed_jwt(&app, &token).await;
    assert_eq!(jwt.split('.').count(), 2, "not a JWS: {jwt}");
    let detail = format!("Token \"{jwt}\" is not a valid JWT.");
    assert_problem(user_with(&app, &jwt).await, 401, &detail, "malformed").await;
}

#[tokio::test]
async fn a_token_fault_waits_for_an_answer_that_carries_a_token() {
    let app = TestApp::spawn().await;
    let token = refresh_token(&app).await;
    queue_fault(&app, json!({"route": "/refresh", "token": "expired"})).await;
    let refused = app
        .refresh_with(KEY_WITH_REFRESH, "not-a-refresh-token")
        .await;
    assert_eq!(refused.status(), 400, "a refusal is left alone");
    assert_eq!(
        pending_faults(&app).await[0]["remaining"],
        1,
        "and uses nothing"
    );
    let jwt = refreshed_jwt(&app, &token).await;
    assert!(
        Jwt::parse(&jwt).claim_i64("exp") < unix_now(),
        "the next token is the one broken"
    );
}

#[tokio::test]
async fn login_and_connect_faults_break_the_redirect_the_client_gets() {
    let app = Setup::headless(USER_NICK).spawn().await;
    queue_fault(&app, json!({"route": "/connect", "token": "bad_signature"})).await;
    let connect = app
        .browser()
        .connect(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    assert_eq!(connect.status(), 302);
    let tokens = Tokens::from_redirect(&connect);
    assert!(!Jwt::parse(&tokens.jwt).verifies_with(&key_from_pem(&app.public_pem().await)));
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, tokens.refresh())
            .await
            .status(),
        200,
        "the refresh token beside it is intact"
    );

    let app = TestApp::spawn().await;
    queue_fault(
        &app,
        json!({"route": "/login", "status": 503, "api_key": KEY_WITH_REFRESH}),
    )
    .await;
    let other = app
        .browser()
        .log_in(&connect_query(OTHER_KEY_WITH_REFRESH, OTHER_CALLBACK))
        .await;
    assert_eq!(other.status(), 303, "another key's login is not affected");
    let hit = app
        .browser()
        .log_in(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    assert_eq!(
        hit.status(),
        503,
        "the form loaded; its submission got the fault"
    );
    assert!(
        !app.log_in(KEY_WITH_REFRESH, APP_CALLBACK)
            .await
            .refresh()
            .is_empty(),
        "used up"
    );
}

#[tokio::test]
async fn a_fault_for_one_user_leaves_the_others_alone() {
    let app = TestApp::spawn().await;
    let mine = refresh_token(&app).await;
    let theirs = mint(
        &app,
        json!({"user": NO_EMAIL_UID, "api_key": KEY_WITH_REFRESH}),
    )
    .await;
    let theirs = theirs["refresh"].as_str().unwrap();
    queue_fault(
        &app,
        json!({"route": "/refresh", "user": "noemail", "status": 429}),
    )
    .await;
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &mine).await.status(),
        200
    );
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, theirs).await.status(),
        429
    );
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, theirs).await.status(),
        200
    );
}

#[tokio::test]
async fn a_delay_fault_answers_normally_but_late() {
    let app = TestApp::spawn().await;
    let minted = mint(&app, json!({"user": USER_NICK})).await;
    let jwt = minted["jwt"].as_str().expect("an access token");
    queue_fault(&app, json!({"route": "/user", "delay": "700ms"})).await;
    let started = Instant::now();
    let response = user_with(&app, jwt).await;
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
}

/// A raw `/refresh`: the bytes received until the server closed, or the error that ended it.
async fn raw_refresh(app: &TestApp, token: &str) -> (Vec<u8>, Option<std::io::ErrorKind>) {
    let mut stream = tcp(&app.address).await;
    let target = format!(
        "/refresh?{}",
        form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", token)])
    );
    stream
        .write_all(&raw("GET", &target, &[], b""))
        .await
        .unwrap();
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received));
    let outcome = read.await.expect("the server closes the connection");
    (received, outcome.err().map(|e| e.kind()))
}

#[tokio::test]
async fn connection_faults_reset_close_or_cut_off_the_answer() {
    let app = TestApp::spawn().await;
    let token = refresh_token(&app).await;
    queue_fault(&app, json!({"route": "/refresh", "connection": "reset"})).await;
    let (received, error) = raw_refresh(&app, &token).await;
    assert_eq!(
        (received.len(), error),
        (0, Some(std::io::ErrorKind::ConnectionReset))
    );

    queue_fault(&app, json!({"route": "/refresh", "connection": "empty"})).await;
    assert_eq!(
        raw_refresh(&app, &token).await,
        (vec![], None),
        "closed with nothing sent"
    );

    queue_fault(
        &app,
        json!({"route": "/refresh", "connection": "truncated"}),
    )
    .await;
    let (received, error) = raw_refresh(&app, &token).await;
    assert_eq!(error, None);
    let answer = String::from_utf8(received).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    assert!(head.starts_with("HTTP/1.1 200"), "{answer}");
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.parse().unwrap())
        })
        .expect("a Content-Length");
    assert!(body.len() < length, "{} of {length} bytes", body.len());

    assert_eq!(
        refreshed_jwt(&app, &token).await.split('.').count(),
        3,
        "then normal again"
    );
}
