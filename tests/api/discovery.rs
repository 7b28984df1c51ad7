//! The realm's discovery document (`docs/protocol.md#discovery`): at both addresses, naming the
//! issuer tokens carry, and only endpoints that exist.

use serde_json::Value;

use crate::support::app::TestApp;
use crate::support::http::{header, send};
use crate::support::oauth::{client_token, verifies_through_discovery};
use crate::support::setup::Setup;

async fn document(server: &TestApp, path: &str) -> Value {
    let response = send(server.api.get(server.url(path))).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn both_addresses_serve_one_document_whose_every_endpoint_exists() {
    let server = TestApp::spawn().await;
    let realm = document(&server, "/realms/uitid/.well-known/openid-configuration").await;
    let root = document(&server, "/.well-known/openid-configuration").await;
    assert_eq!(realm, root);

    let endpoints: Vec<(&str, &Value)> = realm
        .as_object()
        .unwrap()
        .iter()
        .filter(|(name, _)| name.ends_with("_endpoint") || name.ends_with("_uri"))
        .map(|(name, value)| (name.as_str(), value))
        .collect();
    assert!(endpoints.len() >= 2, "{realm}");
    for (name, url) in endpoints {
        let url = url.as_str().unwrap();
        assert!(
            url.starts_with(&server.url("/realms/uitid/protocol/openid-connect/")),
            "{name}: {url}"
        );
        let post = send(server.api.post(url)).await.status();
        let get = send(server.api.get(url)).await.status();
        assert!(
            get != 404 && post != 404,
            "{name} {url}: GET {get}, POST {post}"
        );
    }
    assert!(
        !realm.to_string().contains("/connect"),
        "the JWT provider is not the realm's"
    );
    assert_eq!(realm["issuer"], server.url("/realms/uitid"));
    assert_eq!(
        realm["grant_types_supported"],
        serde_json::json!(["authorization_code", "refresh_token", "client_credentials"])
    );
    assert_eq!(
        realm["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        realm["response_types_supported"],
        serde_json::json!(["code"])
    );
    for endpoint in [
        "authorization",
        "userinfo",
        "end_session",
        "revocation",
        "introspection",
    ] {
        let name = format!("{endpoint}_endpoint");
        assert!(realm[&name].is_string(), "{name} is listed");
    }
    let methods = serde_json::json!(["client_secret_basic", "client_secret_post"]);
    assert_eq!(realm["token_endpoint_auth_methods_supported"], methods);
    let scopes = serde_json::json!(["openid", "profile", "email", "offline_access"]);
    assert_eq!(realm["scopes_supported"], scopes);
}

#[tokio::test]
async fn a_token_from_the_discovered_endpoint_verifies_with_the_discovered_keys() {
    let server = TestApp::spawn().await;
    let token = client_token(&server).await;
    assert!(verifies_through_discovery(&server, &token).await);
}

#[tokio::test]
async fn a_configured_issuer_is_what_discovery_and_tokens_name() {
    let server = Setup::default()
        .with_sections("[oauth]\nissuer = \"https://account-test.uitid.be\"")
        .spawn()
        .await;
    let realm = document(&server, "/.well-known/openid-configuration").await;
    assert_eq!(realm["issuer"], "https://account-test.uitid.be");
    let token = client_token(&server).await;
    let claims = crate::support::jwt::Jwt::parse(&token).claims();
    assert_eq!(claims["iss"], realm["issuer"]);
}
