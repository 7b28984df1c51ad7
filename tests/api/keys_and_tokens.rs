//! `docs/protocol.md#v1-tokens`, `docs/protocol.md#keys`, `docs/reliability.md#secrets`: the v1
//! token byte for byte, and the published keys, checked with a verifier that shares no code with
//! the server.

use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey};

use uitid_emulator::testing::shared_test_key;

use crate::support::*;

const TWELVE_HOURS: i64 = 43_200;

/// An access token from the login redirect and one from `/refresh`.
async fn issued_tokens(app: &TestApp) -> Vec<(&'static str, String)> {
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    let refreshed = text(app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await).await;
    vec![
        ("the login's token", tokens.jwt),
        ("a refreshed token", refreshed),
    ]
}

#[tokio::test]
async fn the_v1_token_is_byte_for_byte_upstreams_header_and_claims_in_order() {
    let app = TestApp::spawn().await;
    for (source, token) in issued_tokens(&app).await {
        let jwt = Jwt::parse(&token);
        let iat = jwt.claim_i64("iat");

        let expected_payload = format!(
            r#"{{"iss":"http:\/\/culudb-jwt-provider.dev","uid":"{USER_UID}","nick":"{USER_NICK}","email":"{USER_EMAIL}","iat":{iat},"exp":{exp},"nbf":{iat}}}"#,
            exp = iat + TWELVE_HOURS,
        );

        assert_eq!(jwt.header, V1_HEADER, "{source}: header");
        assert_eq!(
            jwt.payload, expected_payload,
            "{source}: claims, order, escaping, lifetime"
        );
        assert!((iat - unix_now()).abs() < 60, "{source}: iat is now");
    }
}

#[tokio::test]
async fn a_user_without_an_email_address_gets_an_empty_email_claim() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let form = browser.open_form("destination=oob").await;

    let response = browser
        .submit_login(&form, "noemail", "noemail-secret")
        .await;

    let jwt = Jwt::parse(&Tokens::from_redirect(&response).jwt);
    let expected = format!(r#""uid":"{NO_EMAIL_UID}","nick":"noemail","email":"","iat":"#);
    assert!(jwt.payload.contains(&expected), "{}", jwt.payload);
}

#[tokio::test]
async fn a_configured_access_ttl_sets_exp_minus_iat() {
    let setup = Setup {
        access_ttl: Some("1h 30m".into()),
        ..Setup::default()
    };
    let app = setup.spawn().await;
    for (source, token) in issued_tokens(&app).await {
        let jwt = Jwt::parse(&token);

        let lifetime = jwt.claim_i64("exp") - jwt.claim_i64("iat");

        assert_eq!(lifetime, 5400, "{source}");
        assert_eq!(jwt.claim_i64("nbf"), jwt.claim_i64("iat"), "{source}");
    }
}

#[tokio::test]
async fn tokens_verify_against_public_pem_and_the_jwks_and_tampered_ones_do_not() {
    let app = TestApp::spawn().await;
    let from_pem = key_from_pem(&app.public_pem().await);
    let jwks = app.jwks().await;
    let from_jwks = key_from_jwk(&jwks["keys"][0]);
    for (source, token) in issued_tokens(&app).await {
        let tampered = Jwt::parse(&Jwt::tampered(&token));
        let jwt = Jwt::parse(&token);

        assert!(
            jwt.verifies_with(&from_pem),
            "{source} verifies with /public.pem"
        );
        assert!(
            jwt.verifies_with(&from_jwks),
            "{source} verifies with the JWKS key"
        );
        assert!(
            !tampered.verifies_with(&from_pem),
            "{source} with a flipped payload byte"
        );
        assert!(
            !tampered.verifies_with(&from_jwks),
            "{source} with a flipped payload byte"
        );
    }
}

#[tokio::test]
async fn the_jwks_publishes_only_public_members_of_an_rsa_key_of_at_least_2048_bits() {
    let app = TestApp::spawn().await;

    let jwks = app.jwks().await;

    let keys = jwks["keys"].as_array().expect("a keys array");
    assert!(!keys.is_empty());
    for jwk in keys {
        let mut members: Vec<&str> = jwk
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        members.sort_unstable();
        assert_eq!(
            members,
            ["alg", "e", "kid", "kty", "n", "use"],
            "no private member"
        );
        assert_eq!(
            (jwk["kty"].as_str(), jwk["use"].as_str()),
            (Some("RSA"), Some("sig"))
        );
        assert_eq!(jwk["alg"], "RS256");
        assert!(!jwk["kid"].as_str().unwrap_or("").is_empty(), "a kid");
        let modulus_bits = key_from_jwk(jwk).n().bits();
        assert!(modulus_bits >= 2048, "{modulus_bits} bits");
    }
    assert_eq!(
        key_from_jwk(&keys[0]),
        key_from_pem(&app.public_pem().await)
    );
}

#[tokio::test]
async fn public_pem_serves_the_configured_key() {
    let app = TestApp::spawn().await;
    let configured = shared_test_key().expect("the shared test key");
    let private = RsaPrivateKey::from_pkcs8_pem(configured).expect("a PKCS#8 key");

    let served = key_from_pem(&app.public_pem().await);

    assert_eq!(served, private.to_public_key());
    assert_eq!(served.e(), &BigUint::from(65_537u32));
}

#[tokio::test]
async fn a_pkcs1_private_key_file_is_accepted_too() {
    let configured = shared_test_key().expect("the shared test key");
    let private = RsaPrivateKey::from_pkcs8_pem(configured).expect("a PKCS#8 key");
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("pkcs1.pem");
    let pkcs1 = private.to_pkcs1_pem(LineEnding::LF).expect("PKCS#1 PEM");
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    std::fs::write(&path, pkcs1.as_bytes()).expect("written");
    let app = Setup {
        key: KeyChoice::File(path),
        ..Setup::default()
    }
    .spawn()
    .await;

    let served = key_from_pem(&app.public_pem().await);

    assert_eq!(served, private.to_public_key());
}
