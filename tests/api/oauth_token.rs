//! The token endpoint's client-credentials grant (`docs/protocol.md#token-endpoint`): Keycloak's
//! answer member by member, the client access token's claims in upstream's order, checked with
//! an independent verifier, and both endpoints and both ways of client authentication.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::support::app::TestApp;
use crate::support::http::{header, send};
use crate::support::jwt::{Jwt, member_names, unix_now};
use crate::support::oauth::{
    TOKEN_PATH, client_credentials, post_form, verifies_through_discovery,
};
use crate::support::setup::{CLIENT_ID, CLIENT_NAME, CLIENT_SECRET, Setup};

#[tokio::test]
async fn client_credentials_answers_keycloaks_members_in_order_and_no_store() {
    let server = TestApp::spawn().await;

    let response = client_credentials(&server).await;

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
            "token_type",
            "not-before-policy",
            "scope"
        ]
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["expires_in"], 86_400);
    assert_eq!(body["refresh_expires_in"], 0);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["not-before-policy"], 0);
    assert_eq!(body["scope"], "profile email");
    assert!(
        body.get("refresh_token").is_none(),
        "no refresh token for a client"
    );
}

#[tokio::test]
async fn the_client_access_token_has_upstreams_claims_in_order_and_verifies_through_discovery() {
    let server = TestApp::spawn().await;
    let body: Value = client_credentials(&server).await.json().await.unwrap();
    let token = body["access_token"].as_str().unwrap();

    let jwt = Jwt::parse(token);

    assert!(verifies_through_discovery(&server, token).await);
    assert_eq!(member_names(&jwt.header), ["alg", "typ", "kid"]);
    assert_eq!(
        member_names(&jwt.payload),
        [
            "exp",
            "iat",
            "jti",
            "iss",
            "sub",
            "typ",
            "azp",
            "scope",
            "gty",
            "https://publiq.be/publiq-apis",
            "https://publiq.be/client-name"
        ]
    );
    let claims = jwt.claims();
    assert_eq!(claims["iss"], server.url("/realms/uitid"));
    assert_eq!(claims["sub"], format!("{CLIENT_ID}@clients"));
    assert_eq!(claims["azp"], CLIENT_ID);
    assert_eq!(claims["typ"], "Bearer");
    assert_eq!(claims["gty"], "client-credentials");
    assert_eq!(claims["scope"], "profile email");
    assert_eq!(claims["https://publiq.be/publiq-apis"], "entry sapi");
    assert_eq!(claims["https://publiq.be/client-name"], CLIENT_NAME);
    assert_eq!(jwt.claim_i64("exp") - jwt.claim_i64("iat"), 86_400);
    assert!((jwt.claim_i64("iat") - unix_now()).abs() <= 5);
    let jti = claims["jti"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(jti).is_ok(), "a UUID jti: {jti}");
}

#[tokio::test]
async fn basic_auth_body_auth_and_the_auth0_alias_with_json_all_work() {
    let server = TestApp::spawn().await;
    let basic = STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    let by_basic = send(
        server
            .api
            .post(server.url(TOKEN_PATH))
            .header("authorization", format!("Basic {basic}"))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    let auth0_json = send(
        server
            .api
            .post(server.url("/oauth/token"))
            .json(&serde_json::json!({
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "audience": "https://api.publiq.be",
            })),
    )
    .await;
    let auth0_form = post_form(
        &server,
        "/oauth/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("audience", "https://api.publiq.be"),
        ],
    )
    .await;

    for (response, case) in [
        (by_basic, "basic"),
        (auth0_json, "json"),
        (auth0_form, "form"),
    ] {
        assert_eq!(response.status(), 200, "{case}");
        let body: Value = response.json().await.unwrap();
        let token = body["access_token"].as_str().unwrap();
        assert_eq!(Jwt::parse(token).claims()["azp"], CLIENT_ID, "{case}");
    }
}

#[tokio::test]
async fn basic_credentials_are_form_url_decoded_as_rfc_6749_says() {
    let server = TestApp::spawn().await;
    // `%2D` is "-" and `%53` is "S": a library that encodes them must still get in.
    let encoded_id = CLIENT_ID.replacen('-', "%2D", 1);
    let encoded_secret = CLIENT_SECRET.replacen('S', "%53", 1);
    let basic = STANDARD.encode(format!("{encoded_id}:{encoded_secret}"));
    let response = send(
        server
            .api
            .post(server.url(TOKEN_PATH))
            .header("authorization", format!("Basic {basic}"))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    assert_eq!(
        response.status(),
        200,
        "percent-encoded id and secret are decoded"
    );
}

#[tokio::test]
async fn requested_scopes_join_the_defaults_in_the_realms_order() {
    let server = TestApp::spawn().await;
    for (requested, granted) in [
        ("", "profile email"),
        ("email", "profile email"),
        ("openid", "openid profile email"),
        ("email openid", "openid profile email"),
    ] {
        let pairs = [
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("scope", requested),
        ];
        let body: Value = post_form(&server, TOKEN_PATH, &pairs)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["scope"], granted, "{requested:?}");
        let token = Jwt::parse(body["access_token"].as_str().unwrap());
        assert_eq!(token.claims()["scope"], granted, "{requested:?}");
    }
}

#[tokio::test]
async fn lifetime_issuer_and_time_follow_the_oauth_settings_and_the_emulator_clock() {
    let server = Setup::default()
        .with_sections("[oauth]\naccess_ttl = \"1h\"\nissuer = \"https://account-test.uitid.be/\"")
        .spawn()
        .await;
    let moved = send(
        server
            .api
            .post(server.url("/_emulator/clock"))
            .json(&serde_json::json!({"advance": "2d"})),
    )
    .await;
    assert_eq!(moved.status(), 200);

    let body: Value = client_credentials(&server).await.json().await.unwrap();

    assert_eq!(body["expires_in"], 3600);
    let jwt = Jwt::parse(body["access_token"].as_str().unwrap());
    assert_eq!(jwt.claims()["iss"], "https://account-test.uitid.be");
    assert!((jwt.claim_i64("iat") - (unix_now() + 2 * 86_400)).abs() <= 5);
    assert_eq!(jwt.claim_i64("exp") - jwt.claim_i64("iat"), 3600);
}
