//! `docs/protocol.md#keycloak-tokens`: the keycloak profile's OIDC id_token, verified the way a
//! relying party does it (discovery, then `jwks_uri`, then the key named by `kid`) with the `rsa`
//! crate.

use std::collections::HashSet;
use std::time::Instant;

use serde_json::{Value, json};
use uitid_emulator::service::MintRequest;

use crate::support::*;

const KEYCLOAK: &str = "[token]\nprofile = \"keycloak\"\nclient_id = \"my-client\"";

async fn get_json(url: &str) -> Value {
    let response = send(client().get(url)).await;
    assert_eq!(response.status(), 200, "GET {url}");
    response.json().await.expect("JSON")
}

/// The JWK a relying party would pick for `jwt`: discovery, `jwks_uri`, then `kid`.
async fn discover_key(server: &TestApp, jwt: &str) -> (Value, Value) {
    let discovery = get_json(&server.url("/realms/uitid/.well-known/openid-configuration")).await;
    let jwks = get_json(discovery["jwks_uri"].as_str().expect("a jwks_uri")).await;
    let header: Value = serde_json::from_str(&Jwt::parse(jwt).header).unwrap();
    let keys = jwks["keys"].as_array().expect("a key list");
    let jwk = keys
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("a key with the token's kid");
    (discovery, jwk.clone())
}

#[tokio::test]
async fn a_keycloak_token_verifies_through_discovery_jwks_uri_and_kid() {
    let server = server(KEYCLOAK).await;
    let (jwt, _) = connect(&server).await;

    let (_, jwk) = discover_key(&server, &jwt).await;

    let key = key_from_jwk(&jwk);
    assert!(
        Jwt::parse(&jwt).verifies_with(&key),
        "the signature verifies with the discovered key"
    );
    let Jwt {
        header,
        payload,
        signature,
        ..
    } = Jwt::parse(&jwt);
    let kid = jwk["kid"].as_str().unwrap();
    assert_eq!(
        header,
        format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{kid}"}}"#)
    );
    let tampered_payload = payload.replacen("stiksels", "stikselz", 1);
    let tampered = with_signature(&header, &tampered_payload, &signature);
    assert!(
        !Jwt::parse(&tampered).verifies_with(&key),
        "the verifier refuses a tampered token"
    );
}

#[tokio::test]
async fn a_keycloak_token_carries_every_claim_of_an_oidc_id_token() {
    let server = server(KEYCLOAK).await;
    let cases = [
        (
            "stiksels",
            USER_UID,
            "stiksels@example.com",
            true,
            "stiksels@example.com",
        ),
        ("noemail", NO_EMAIL_UID, "", false, "noemail"),
    ];
    for (nick, uid, email, verified, preferred) in cases {
        let jwt = mint(&server, json!({"user": nick})).await["jwt"]
            .as_str()
            .unwrap()
            .to_owned();

        let (discovery, _) = discover_key(&server, &jwt).await;
        let claims = Jwt::parse(&jwt).claims();
        for name in [
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
            "email",
            "email_verified",
            "nickname",
            "name",
            "preferred_username",
            "https://publiq.be/uitidv1id",
        ] {
            assert!(claims.get(name).is_some(), "{nick}: {name} in {claims}");
        }
        assert_eq!(
            claims["iss"], discovery["issuer"],
            "{nick}: iss is the discovery issuer"
        );
        let expected = json!({"aud": "my-client", "azp": "my-client", "typ": "ID", "sub": uid,
            "https://publiq.be/uitidv1id": uid, "email": email, "email_verified": verified,
            "nickname": nick, "preferred_username": preferred});
        for (name, value) in expected.as_object().unwrap() {
            assert_eq!(&claims[name], value, "{nick}: {name}");
        }
        let (iat, exp) = (
            claims["iat"].as_i64().unwrap(),
            claims["exp"].as_i64().unwrap(),
        );
        assert_eq!(exp - iat, 36000, "{nick}: 10 h by default");
        assert_eq!(claims["auth_time"], claims["iat"], "{nick}: auth_time");
    }
}

#[tokio::test]
async fn jti_is_unique_over_10_000_tokens() {
    let server = server(KEYCLOAK).await;
    let started = Instant::now();
    let mut seen = HashSet::new();

    for _ in 0..10_000 {
        let request = MintRequest {
            user: Some("stiksels".into()),
            ..Default::default()
        };
        let jwt = server.mint(request).await.expect("minted").jwt;
        let jti = Jwt::parse(&jwt).claims()["jti"]
            .as_str()
            .expect("a jti")
            .to_owned();
        assert!(seen.insert(jti.clone()), "jti {jti} issued twice");
    }

    assert_eq!(seen.len(), 10_000);
    eprintln!("10 000 keycloak tokens minted in {:?}", started.elapsed());
}

#[tokio::test]
async fn the_entry_api_accepts_keycloak_and_v1_tokens_on_one_server() {
    let v1 = server("").await;
    let key_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(key_file.path(), v1.state().keys.active_private_pem()).unwrap();
    let signing = format!(
        "[signing]\nprivate_key_file = {:?}",
        key_file.path().display().to_string()
    );
    let keycloak = server(&format!("{KEYCLOAK}\n{signing}")).await;
    let expected = json!({"uuid": USER_UID, "email": "stiksels@example.com", "username": "stiksels",
        "id": USER_UID, "nick": "stiksels"});
    let cases = [
        (jwt(&keycloak, "stiksels").await, "typ", "a keycloak token"),
        (
            jwt(&v1, "stiksels").await,
            "uid",
            "a v1 token signed with the same key",
        ),
    ];
    for (token, profile_claim, case) in cases {
        assert!(
            Jwt::parse(&token).claims().get(profile_claim).is_some(),
            "{case}: has {profile_claim}"
        );
        let response = user_with(&keycloak, &token).await;

        assert_eq!(response.status(), 200, "{case}");
        assert_eq!(response.json::<Value>().await.unwrap(), expected, "{case}");
    }
}
