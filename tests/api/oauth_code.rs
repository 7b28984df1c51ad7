//! The authorization-code grant's answer (`docs/protocol.md#authorization-codes`,
//! `docs/protocol.md#oauth2-tokens`): Keycloak's members in Keycloak's order, the user access
//! token's and id_token's claims in upstream's order checked with the suite's own verifier, and a
//! code that works once, for 60 seconds of the emulator clock.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::authorize::*;
use crate::support::jwt::{Jwt, member_names};
use crate::support::oauth::{assert_oauth_error, verifies_through_discovery};
use crate::support::*;

/// `refresh_max_age`'s default, 14 days, in seconds.
const FOURTEEN_DAYS: i64 = 14 * 86_400;

#[tokio::test]
async fn the_answer_has_keycloaks_members_in_order_and_is_not_stored() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[("scope", "openid")]).await;

    let response = exchange_code(
        &server,
        CONFIDENTIAL,
        &issued.code,
        Some(&issued.pkce.verifier),
    )
    .await;

    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    assert_eq!(header(&response, "pragma"), Some("no-cache"));
    let text = response.text().await.unwrap();
    assert_eq!(
        member_names(&text),
        [
            "access_token",
            "expires_in",
            "refresh_expires_in",
            "refresh_token",
            "token_type",
            "id_token",
            "not-before-policy",
            "session_state",
            "scope"
        ]
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["expires_in"], 86_400);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["not-before-policy"], 0);
    assert_eq!(body["scope"], "openid profile email");
    assert_eq!(
        body["session_state"],
        issued.callback.get("session_state").unwrap()
    );
    let left = body["refresh_expires_in"].as_i64().unwrap();
    assert!(
        (FOURTEEN_DAYS - 5..=FOURTEEN_DAYS).contains(&left),
        "{left}"
    );
    assert!(member(&body, "refresh_token").len() >= 43);
}

#[tokio::test]
async fn without_openid_there_is_no_id_token() {
    let server = TestApp::spawn().await;

    let body = log_in_for_tokens(&server, CONFIDENTIAL, "").await;

    assert!(body.get("id_token").is_none(), "{body}");
    assert_eq!(body["scope"], "profile email");
    assert!(body.get("refresh_token").is_some());
}

#[tokio::test]
async fn the_user_access_token_has_upstreams_claims_in_order_and_verifies_through_the_jwks() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[("scope", "openid")]).await;
    let verifier = Some(issued.pkce.verifier.as_str());
    let response = exchange_code(&server, CONFIDENTIAL, &issued.code, verifier).await;
    let body: Value = response.json().await.unwrap();
    let token = member(&body, "access_token");

    let jwt = Jwt::parse(&token);

    assert!(verifies_through_discovery(&server, &token).await);
    assert_eq!(member_names(&jwt.header), ["alg", "typ", "kid"]);
    assert_eq!(
        member_names(&jwt.payload),
        [
            "exp",
            "iat",
            "auth_time",
            "jti",
            "iss",
            "aud",
            "sub",
            "typ",
            "azp",
            "sid",
            "scope",
            "https://publiq.be/publiq-apis",
            "https://publiq.be/client-name",
            "https://publiq.be/email",
            "https://publiq.be/uitidv1id"
        ]
    );
    let claims = jwt.claims();
    assert_eq!(claims["iss"], issuer(&server));
    assert_eq!(claims["aud"], json!(["https://api.publiq.be"]));
    assert_eq!(claims["sub"], USER_UID);
    assert_eq!(claims["typ"], "Bearer");
    assert_eq!(claims["azp"], CLIENT_ID);
    assert_eq!(claims["sid"], issued.callback.get("session_state").unwrap());
    assert_eq!(claims["scope"], "openid profile email");
    assert_eq!(claims["https://publiq.be/publiq-apis"], "entry sapi");
    assert_eq!(claims["https://publiq.be/client-name"], CLIENT_NAME);
    assert_eq!(claims["https://publiq.be/email"], USER_EMAIL);
    assert_eq!(claims["https://publiq.be/uitidv1id"], USER_UID);
    assert_eq!(jwt.claim_i64("exp") - jwt.claim_i64("iat"), 86_400);
    assert!(jwt.claim_i64("auth_time") <= jwt.claim_i64("iat"));
    assert!((jwt.claim_i64("iat") - unix_now()).abs() <= 5);
    assert!(uuid::Uuid::parse_str(claims["jti"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn the_id_token_is_for_the_client_echoes_the_nonce_and_hashes_the_access_token() {
    let server = TestApp::spawn().await;
    let extra = [("scope", "openid"), ("nonce", "n-0S6_WzA2Mj")];
    let body = log_in_with(&server, CONFIDENTIAL, &extra).await;
    let id_token = member(&body, "id_token");

    let jwt = Jwt::parse(&id_token);

    assert!(verifies_through_discovery(&server, &id_token).await);
    assert_eq!(
        member_names(&jwt.payload),
        [
            "exp",
            "iat",
            "auth_time",
            "jti",
            "iss",
            "aud",
            "sub",
            "typ",
            "azp",
            "nonce",
            "sid",
            "at_hash",
            "email",
            "email_verified",
            "nickname",
            "name",
            "preferred_username",
            "https://publiq.be/uitidv1id"
        ]
    );
    let claims = jwt.claims();
    assert_eq!(claims["aud"], CLIENT_ID);
    assert_eq!(claims["azp"], CLIENT_ID);
    assert_eq!(claims["typ"], "ID");
    assert_eq!(claims["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(claims["sub"], USER_UID);
    assert_eq!(claims["iss"], issuer(&server));
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["preferred_username"], USER_EMAIL);
    // OIDC Core 3.1.3.6: the left half of SHA-256 of the access token, base64url.
    let digest = Sha256::digest(member(&body, "access_token").as_bytes());
    assert_eq!(claims["at_hash"], URL_SAFE_NO_PAD.encode(&digest[..16]));

    let without_nonce = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let claims = Jwt::parse(&member(&without_nonce, "id_token")).claims();
    assert!(claims.get("nonce").is_none(), "{claims}");
}

#[tokio::test]
async fn a_second_use_of_a_code_fails_and_revokes_what_the_first_use_issued() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[]).await;
    let verifier = Some(issued.pkce.verifier.as_str());
    let first: Value = exchange_code(&server, CONFIDENTIAL, &issued.code, verifier)
        .await
        .json()
        .await
        .unwrap();

    let second = exchange_code(&server, CONFIDENTIAL, &issued.code, verifier).await;

    assert_oauth_error(second, 400, "invalid_grant", "Code not valid", "replayed").await;
    let refresh = refresh_grant(&server, CONFIDENTIAL, &member(&first, "refresh_token")).await;
    assert_oauth_error(
        refresh,
        400,
        "invalid_grant",
        "Session not active",
        "first use's",
    )
    .await;
    let chains = listed_tokens(&server, &format!("?client={CLIENT_ID}")).await;
    assert_eq!(chains.len(), 1, "{chains:?}");
    assert_eq!(chains[0]["revoked_reason"], "code_replay");
    assert!(chains[0]["revoked_at"].is_i64());
}

#[tokio::test]
async fn a_code_lives_60_seconds_of_the_emulator_clock() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[]).await;
    let pkce = Pkce::new();
    let again = issued
        .browser
        .authorize(&authorize_query(CONFIDENTIAL, &pkce, &[]))
        .await;
    let later_code = Callback::from(&again).code().to_owned();

    set_clock(&server, json!({"advance": "55s"})).await;
    let in_time = exchange_code(
        &server,
        CONFIDENTIAL,
        &issued.code,
        Some(&issued.pkce.verifier),
    )
    .await;
    set_clock(&server, json!({"advance": "10s"})).await;
    let too_late = exchange_code(&server, CONFIDENTIAL, &later_code, Some(&pkce.verifier)).await;

    assert_eq!(in_time.status(), 200, "55 s after it was issued");
    assert_oauth_error(
        too_late,
        400,
        "invalid_grant",
        "Code not valid",
        "after 65 s",
    )
    .await;
}
