//! The OAuth2 realm's token endpoint as a client library would call it, and Keycloak's error
//! answers asserted byte for byte (`docs/protocol.md#token-endpoint`).

use reqwest::Response;
use serde_json::Value;

use super::app::TestApp;
use super::http::send;
use super::jwt::{Jwt, key_from_jwk};
use super::setup::{CLIENT_ID, CLIENT_SECRET};

pub const TOKEN_PATH: &str = "/realms/uitid/protocol/openid-connect/token";

/// A form POST of `pairs` to `path` (the realm's endpoint or `/oauth/token`).
pub async fn post_form(server: &TestApp, path: &str, pairs: &[(&str, &str)]) -> Response {
    send(server.api.post(server.url(path)).form(pairs)).await
}

/// The client-credentials grant for the test client, with its secret in the body.
pub async fn client_credentials(server: &TestApp) -> Response {
    let pairs = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ];
    post_form(server, TOKEN_PATH, &pairs).await
}

/// A client access token of the test client.
pub async fn client_token(server: &TestApp) -> String {
    let response = client_credentials(server).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    body["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// Keycloak's error answer: `status`, `application/json`, `no-store`, and exactly
/// `{"error":…,"error_description":…}` in that order.
pub async fn assert_oauth_error(
    response: Response,
    status: u16,
    error: &str,
    description: &str,
    case: &str,
) {
    assert_eq!(response.status(), status, "{case}");
    let header = |name: &str| {
        let value = response.headers().get(name);
        value.and_then(|v| v.to_str().ok()).map(str::to_owned)
    };
    assert_eq!(
        header("content-type").as_deref(),
        Some("application/json"),
        "{case}"
    );
    assert_eq!(
        header("cache-control").as_deref(),
        Some("no-store"),
        "{case}"
    );
    let body = response.text().await.expect("a body");
    let expected = serde_json::json!({"error": error, "error_description": description});
    assert_eq!(body, expected.to_string(), "{case}");
}

/// Whether `token` verifies with a key the JWKS names by the token's `kid`, the JWKS found
/// through the discovery document, as a resource server would do it.
pub async fn verifies_through_discovery(server: &TestApp, token: &str) -> bool {
    let discovery: Value = send(
        server
            .api
            .get(server.url("/realms/uitid/.well-known/openid-configuration")),
    )
    .await
    .json()
    .await
    .expect("a discovery document");
    let jwks_uri = discovery["jwks_uri"].as_str().expect("jwks_uri");
    let jwks: Value = send(server.api.get(jwks_uri))
        .await
        .json()
        .await
        .expect("JWKS");
    let jwt = Jwt::parse(token);
    let header: Value = serde_json::from_str(&jwt.header).expect("a JSON header");
    let keys = jwks["keys"].as_array().expect("keys");
    let jwk = keys.iter().find(|k| k["kid"] == header["kid"]);
    jwk.is_some_and(|jwk| jwt.verifies_with(&key_from_jwk(jwk)))
}
