//! `GET|POST .../openid-connect/userinfo` (`docs/protocol.md#userinfo`): the user of a live user
//! access token, from the `Authorization` header or (POST) a form; anything else is 401 with
//! Keycloak's JSON and a `WWW-Authenticate` challenge naming the reason.

use reqwest::Response;
use serde_json::{Value, json};

use crate::support::authorize::*;
use crate::support::oauth::client_token;
use crate::support::*;

fn stiksels() -> Value {
    json!({"sub": USER_UID, "given_name": USER_NICK, "email": USER_EMAIL,
           "email_verified": true, "preferred_username": USER_EMAIL})
}

async fn get_with(server: &TestApp, token: &str) -> Response {
    let url = server.url(USERINFO_PATH);
    send(server.api.get(url).bearer_auth(token)).await
}

/// The 401 of RFC 6750 section 3: Keycloak's JSON and the same reason in the challenge.
async fn assert_invalid_token(response: Response, description: &str, case: &str) {
    assert_eq!(response.status(), 401, "{case}");
    let challenge = format!(
        r#"Bearer realm="uitid", error="invalid_token", error_description="{description}""#
    );
    assert_eq!(
        header(&response, "www-authenticate"),
        Some(challenge.as_str()),
        "{case}"
    );
    assert_eq!(
        header(&response, "content-type"),
        Some("application/json"),
        "{case}"
    );
    let body = text(response).await;
    let expected = json!({"error": "invalid_token", "error_description": description});
    assert_eq!(body, expected.to_string(), "{case}");
}

#[tokio::test]
async fn a_user_access_token_gets_its_user_by_header_or_form() {
    let server = TestApp::spawn().await;
    let tokens = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let access = member(&tokens, "access_token");
    let url = server.url(USERINFO_PATH);

    let by_get = get_with(&server, &access).await;
    let by_post = send(server.api.post(&url).bearer_auth(&access)).await;
    let by_form = send(server.api.post(&url).form(&[("access_token", &access)])).await;

    for (response, case) in [(by_get, "GET"), (by_post, "POST"), (by_form, "form")] {
        assert_eq!(response.status(), 200, "{case}");
        assert_eq!(
            header(&response, "cache-control"),
            Some("no-store"),
            "{case}"
        );
        let content_type = header(&response, "content-type");
        assert_eq!(content_type, Some("application/json"), "{case}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, stiksels(), "{case}");
    }
}

#[tokio::test]
async fn a_user_without_email_is_named_by_nick_and_unverified() {
    let server = TestApp::spawn().await;
    let minted = mint(&server, json!({"user": "noemail", "client": CLIENT_ID})).await;

    let response = get_with(&server, &member(&minted, "jwt")).await;

    let body: Value = response.json().await.unwrap();
    let expected = json!({"sub": NO_EMAIL_UID, "given_name": "noemail", "email": "",
                          "email_verified": false, "preferred_username": "noemail"});
    assert_eq!(body, expected);
}

#[tokio::test]
async fn missing_forged_and_foreign_tokens_are_401_with_the_reason() {
    let server = TestApp::spawn().await;
    let tokens = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let access = member(&tokens, "access_token");
    let v1 = jwt(&server, USER_NICK).await;
    let url = server.url(USERINFO_PATH);

    let missing = send(server.api.get(&url)).await;
    let empty = send(server.api.get(&url).header("authorization", "Bearer ")).await;
    let basic = send(server.api.get(&url).header("authorization", "Basic eDp5")).await;
    let forged = get_with(&server, &Jwt::tampered(&access)).await;
    let client = get_with(&server, &client_token(&server).await).await;
    let id_token = get_with(&server, &member(&tokens, "id_token")).await;
    let provider = get_with(&server, &v1).await;
    let garbage = get_with(&server, "not-a-jwt").await;

    assert_invalid_token(missing, "Token not provided", "no header").await;
    assert_invalid_token(empty, "Token not provided", "an empty bearer").await;
    assert_invalid_token(basic, "Token not provided", "Basic").await;
    let failed = "Token verification failed";
    assert_invalid_token(forged, failed, "a flipped payload byte").await;
    assert_invalid_token(client, failed, "a client access token").await;
    assert_invalid_token(id_token, failed, "an id_token").await;
    assert_invalid_token(provider, failed, "a JWT-provider token").await;
    assert_invalid_token(garbage, failed, "not a JWT").await;
}

#[tokio::test]
async fn an_expired_token_fails_verification() {
    let server = TestApp::spawn().await;
    let expired = mint(
        &server,
        json!({"user": USER_NICK, "client": CLIENT_ID, "expired": true}),
    );
    let expired = member(&expired.await, "jwt");

    let response = get_with(&server, &expired).await;

    assert_invalid_token(response, "Token verification failed", "expired").await;
}

#[tokio::test]
async fn the_access_tokens_of_a_revoked_chain_are_no_longer_active() {
    let server = TestApp::spawn().await;
    let tokens = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let access = member(&tokens, "access_token");
    assert_eq!(get_with(&server, &access).await.status(), 200);
    let id = listed_tokens(&server, "").await[0]["id"].as_i64().unwrap();

    let url = server.url(&format!("/_emulator/refresh-tokens/{id}"));
    assert_eq!(send(server.api.delete(url)).await.status(), 200);

    let response = get_with(&server, &access).await;
    assert_invalid_token(response, "Session not active", "revoked chain").await;
}

#[tokio::test]
async fn the_token_of_a_deleted_user_finds_no_user() {
    let server = TestApp::spawn().await;
    let uid = "0f4b8a7e-2c1d-4e5f-9a8b-7c6d5e4f3a2b";
    let user = json!({"uid": uid, "nick": "runtime", "email": "runtime@example.com",
                      "password": "runtime-secret"});
    assert_eq!(post(&server, "users", &user).await.status(), 201);
    let minted = mint(&server, json!({"user": "runtime", "client": CLIENT_ID})).await;
    let url = server.url(&format!("/_emulator/users/{uid}"));
    assert_eq!(send(server.api.delete(url)).await.status(), 204);

    let response = get_with(&server, &member(&minted, "jwt")).await;

    assert_invalid_token(response, "User not found", "deleted user").await;
}
