//! The control plane reaches the token endpoint (`docs/protocol.md#control-plane`): minting
//! client access tokens, faults on the endpoint (matched by client), journal entries naming
//! the client.

use serde_json::{Value, json};

use crate::support::app::TestApp;
use crate::support::client_loop::{assert_control_error, post};
use crate::support::http::send;
use crate::support::jwt::{Jwt, member_names};
use crate::support::oauth::{
    TOKEN_PATH, client_credentials, post_form, verifies_through_discovery,
};
use crate::support::setup::{CLIENT_ID, CLIENT_WITHOUT_ENTRY, CLIENT_WITHOUT_ENTRY_SECRET};

#[tokio::test]
async fn minting_for_a_client_gives_the_grants_token_with_the_asked_changes() {
    let server = TestApp::spawn().await;
    let minted = post(
        &server,
        "tokens",
        &json!({"client": CLIENT_ID, "ttl": "5m", "scope": "openid", "claims": {"extra": 1}}),
    )
    .await;
    assert_eq!(minted.status(), 200);
    let minted: Value = minted.json().await.unwrap();
    let token = minted["jwt"].as_str().unwrap();
    assert!(minted.get("refresh").is_none());

    let jwt = Jwt::parse(token);
    assert!(verifies_through_discovery(&server, token).await);
    assert_eq!(jwt.claims()["gty"], "client-credentials");
    assert_eq!(jwt.claims()["scope"], "openid profile email");
    assert_eq!(jwt.claims()["extra"], 1);
    assert_eq!(jwt.claim_i64("exp") - jwt.claim_i64("iat"), 300);
    assert_eq!(
        member_names(&jwt.payload).last().map(String::as_str),
        Some("extra")
    );

    let expired: Value = post(
        &server,
        "tokens",
        &json!({"client": CLIENT_ID, "expired": true}),
    )
    .await
    .json()
    .await
    .unwrap();
    let expired = Jwt::parse(expired["jwt"].as_str().unwrap());
    assert!(expired.claim_i64("exp") < crate::support::jwt::unix_now() - 30);
}

#[tokio::test]
async fn minting_refuses_unknown_clients_and_mixed_requests_naming_the_field() {
    let server = TestApp::spawn().await;
    #[rustfmt::skip]
    let cases = [
        (json!({"client": "nobody"}), "client", "an unknown client"),
        (json!({"client": CLIENT_ID, "user": "nobody"}), "user", "user tokens for an unknown user"),
        (json!({"client": CLIENT_ID, "api_key": "test-key-with-refresh"}), "api_key", "an API key with a client"),
        (json!({"client": CLIENT_ID, "scope": "admin"}), "scope", "a scope the realm does not offer"),
        (json!({"user": "stiksels", "scope": "openid"}), "scope", "a scope for a JWT-provider token"),
        (json!({}), "user", "neither user nor client"),
    ];
    for (body, field, case) in cases {
        assert_control_error(post(&server, "tokens", &body).await, 400, Some(field), case).await;
    }
}

#[tokio::test]
async fn a_fault_on_the_token_endpoint_hits_only_its_client_and_only_times_times() {
    let server = TestApp::spawn().await;
    let fault = json!({"route": "/oauth/token", "client": CLIENT_ID, "times": 2, "status": 503, "body": "{\"error\":\"temporarily_unavailable\"}", "headers": {"content-type": "application/json"}});
    let queued = post(&server, "faults", &fault).await;
    assert_eq!(queued.status(), 201);
    let other = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_WITHOUT_ENTRY),
        ("client_secret", CLIENT_WITHOUT_ENTRY_SECRET),
    ];

    assert_eq!(
        post_form(&server, TOKEN_PATH, &other).await.status(),
        200,
        "another client"
    );
    let first = client_credentials(&server).await;
    assert_eq!(first.status(), 503);
    assert_eq!(
        first.text().await.unwrap(),
        "{\"error\":\"temporarily_unavailable\"}"
    );
    assert_eq!(
        client_credentials(&server).await.status(),
        503,
        "the Auth0 alias shares the route"
    );
    assert_eq!(client_credentials(&server).await.status(), 200, "used up");
}

#[tokio::test]
async fn a_token_fault_breaks_the_access_token_in_the_json_answer() {
    let server = TestApp::spawn().await;
    let queued = post(
        &server,
        "faults",
        &json!({"route": TOKEN_PATH, "token": "bad_signature"}),
    )
    .await;
    assert_eq!(queued.status(), 201);

    let broken: Value = client_credentials(&server).await.json().await.unwrap();
    let good: Value = client_credentials(&server).await.json().await.unwrap();

    assert_eq!(
        broken["expires_in"], 86_400,
        "the rest of the answer is kept"
    );
    assert!(!verifies_through_discovery(&server, broken["access_token"].as_str().unwrap()).await);
    assert!(verifies_through_discovery(&server, good["access_token"].as_str().unwrap()).await);
}

#[tokio::test]
async fn token_endpoint_faults_refuse_api_key_and_user_matchers_and_unknown_clients() {
    let server = TestApp::spawn().await;
    #[rustfmt::skip]
    let cases = [
        (json!({"route": TOKEN_PATH, "api_key": "test-key-with-refresh", "status": 500}), 400, "api_key"),
        (json!({"route": TOKEN_PATH, "user": "stiksels", "status": 500}), 400, "user"),
        (json!({"route": "/refresh", "client": CLIENT_ID, "status": 500}), 400, "client"),
        (json!({"route": TOKEN_PATH, "client": "nobody", "status": 500}), 404, "client"),
    ];
    for (body, status, field) in cases {
        let response = post(&server, "faults", &body).await;
        assert_control_error(response, status, Some(field), &body.to_string()).await;
    }
}

#[tokio::test]
async fn the_journal_names_the_client_of_every_token_request_and_never_its_secret() {
    let server = TestApp::spawn().await;
    assert_eq!(client_credentials(&server).await.status(), 200);
    let wrong = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", "wrong-guess"),
    ];
    assert_eq!(
        post_form(&server, "/oauth/token", &wrong).await.status(),
        401
    );

    let url = server.url(&format!("/_emulator/journal?client={CLIENT_ID}"));
    let journal: Value = send(server.api.get(url)).await.json().await.unwrap();

    let entries = journal["entries"].as_array().unwrap();
    let seen: Vec<(&str, u64)> = entries
        .iter()
        .map(|e| (e["route"].as_str().unwrap(), e["status"].as_u64().unwrap()))
        .collect();
    assert_eq!(seen, [("/oauth/token", 401), (TOKEN_PATH, 200)]);
    let lineage = entries[1]["lineage"].as_str().unwrap();
    assert!(lineage.starts_with("client credentials -> "), "{lineage}");
    assert!(!journal.to_string().contains("wrong-guess"));
    let verify = post(
        &server,
        "journal/verify",
        &json!({"route": TOKEN_PATH, "client": CLIENT_ID, "status": 200}),
    )
    .await;
    assert_eq!(verify.status(), 202);
}

#[tokio::test]
async fn the_entry_api_journals_the_client_of_an_access_token() {
    let server = TestApp::spawn().await;
    let token = crate::support::oauth::client_token(&server).await;

    let answer = send(server.api.get(server.url("/user")).bearer_auth(&token)).await;

    assert_eq!(answer.status(), 401, "a client token at /user");
    let url = server.url(&format!(
        "/_emulator/journal?client={CLIENT_ID}&route=/user"
    ));
    let journal: Value = send(server.api.get(url)).await.json().await.unwrap();
    assert_eq!(journal["entries"].as_array().unwrap().len(), 1, "{journal}");
    assert_eq!(journal["entries"][0]["status"], 401);
}
