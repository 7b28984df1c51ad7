//! The token endpoint's refusals, byte for byte as Keycloak writes them and in Keycloak's order
//! (`docs/protocol.md#token-endpoint`): grant type first, then the client, then the grant.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::support::app::TestApp;
use crate::support::http::{header, send};
use crate::support::oauth::{TOKEN_PATH, assert_oauth_error, post_form};
use crate::support::setup::{
    CLIENT_ID, CLIENT_SECRET, CLIENT_WITHOUT_ENTRY, CLIENT_WITHOUT_ENTRY_SECRET, PUBLIC_CLIENT,
    Setup,
};

const INVALID_CLIENT: &str = "Invalid client or Invalid client credentials";

/// A request's form, the answer's status, `error` and `error_description`, and the case.
type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str, &'a str, &'a str);

#[tokio::test]
async fn each_refusal_is_keycloaks_json_with_its_status() {
    let server = TestApp::spawn().await;
    let cc = "client_credentials";
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        (vec![("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)], 400, "invalid_request", "Missing form parameter: grant_type", "no grant type"),
        (vec![("grant_type", ""), ("client_id", CLIENT_ID)], 400, "invalid_request", "Missing form parameter: grant_type", "an empty grant type"),
        (vec![("grant_type", "implicit"), ("client_id", CLIENT_ID)], 400, "unsupported_grant_type", "Unsupported grant_type", "a grant the realm does not know"),
        (vec![("grant_type", "urn:ietf:params:oauth:grant-type:device_code")], 400, "unsupported_grant_type", "Unsupported grant_type", "an unknown grant before any client"),
        (vec![("grant_type", cc)], 401, "invalid_client", INVALID_CLIENT, "no client at all"),
        (vec![("grant_type", cc), ("client_id", "nobody"), ("client_secret", "x")], 401, "invalid_client", INVALID_CLIENT, "an unknown client"),
        (vec![("grant_type", cc), ("client_id", CLIENT_ID)], 401, "invalid_client", INVALID_CLIENT, "no secret"),
        (vec![("grant_type", cc), ("client_id", CLIENT_ID), ("client_secret", "wrong")], 401, "invalid_client", INVALID_CLIENT, "a wrong secret"),
        (vec![("grant_type", cc), ("client_id", CLIENT_ID), ("client_secret", CLIENT_WITHOUT_ENTRY_SECRET)], 401, "invalid_client", INVALID_CLIENT, "another client's secret"),
        (vec![("grant_type", cc), ("client_id", PUBLIC_CLIENT)], 400, "unauthorized_client", "Public client not allowed to retrieve service account", "a public client"),
        (vec![("grant_type", cc), ("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET), ("scope", "openid admin")], 400, "invalid_scope", "Invalid scopes: openid admin", "a scope the realm does not offer"),
        (vec![("grant_type", cc), ("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET), ("client_secret", CLIENT_SECRET)], 400, "invalid_request", "duplicated parameter", "a parameter given twice"),
    ];
    for (pairs, status, error, description, case) in cases {
        for path in [TOKEN_PATH, "/oauth/token"] {
            let response = post_form(&server, path, &pairs).await;
            assert_oauth_error(
                response,
                status,
                error,
                description,
                &format!("{case} at {path}"),
            )
            .await;
        }
    }
}

#[tokio::test]
async fn a_grant_the_client_is_not_enabled_for_is_unauthorized_client() {
    let server = TestApp::spawn().await;
    let created = send(
        server
            .api
            .post(server.url("/_emulator/clients"))
            .json(&json!({
                "client_id": "code-only", "secret": "codeOnly1", "name": "Code only",
                "grants": ["authorization_code"], "redirect_uris": ["https://app.test/cb"]
            })),
    )
    .await;
    assert_eq!(created.status(), 201);

    let pairs = [
        ("grant_type", "client_credentials"),
        ("client_id", "code-only"),
        ("client_secret", "codeOnly1"),
    ];
    let response = post_form(&server, TOKEN_PATH, &pairs).await;

    let why = "Client not enabled to retrieve service account";
    assert_oauth_error(
        response,
        400,
        "unauthorized_client",
        why,
        "no client_credentials",
    )
    .await;
}

#[tokio::test]
async fn malformed_basic_credentials_and_a_mismatched_body_id_are_invalid_client() {
    let server = TestApp::spawn().await;
    let good = STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    let cases = [
        ("Basic not-base64!".to_owned(), CLIENT_ID, "not base64"),
        (
            format!("Basic {}", STANDARD.encode("no-colon")),
            CLIENT_ID,
            "no colon",
        ),
        (
            format!("Basic {good}"),
            CLIENT_WITHOUT_ENTRY,
            "body names another client",
        ),
    ];
    for (authorization, body_id, case) in cases {
        let request = server
            .api
            .post(server.url(TOKEN_PATH))
            .header("authorization", authorization);
        let form = [("grant_type", "client_credentials"), ("client_id", body_id)];
        let response = send(request.form(&form)).await;
        assert_oauth_error(response, 401, "invalid_client", INVALID_CLIENT, case).await;
    }
}

#[tokio::test]
async fn json_is_a_form_without_parameters_at_the_realm_and_must_be_an_object_at_the_alias() {
    let server = TestApp::spawn().await;
    let body = json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET});

    let realm = send(server.api.post(server.url(TOKEN_PATH)).json(&body)).await;
    let array = send(
        server
            .api
            .post(server.url("/oauth/token"))
            .header("content-type", "application/json")
            .body("[\"grant_type\"]"),
    )
    .await;
    let nested = send(
        server
            .api
            .post(server.url("/oauth/token"))
            .json(&json!({"grant_type": {"a": 1}})),
    )
    .await;

    let missing = "Missing form parameter: grant_type";
    assert_oauth_error(realm, 400, "invalid_request", missing, "JSON at the realm").await;
    let not_object = "The body is not a JSON object.";
    assert_oauth_error(array, 400, "invalid_request", not_object, "a JSON array").await;
    assert_oauth_error(nested, 400, "invalid_request", not_object, "a nested value").await;
}

#[tokio::test]
async fn only_post_is_served() {
    let server = TestApp::spawn().await;
    for path in [TOKEN_PATH, "/oauth/token"] {
        let response = send(server.api.get(server.url(path))).await;
        assert_eq!(response.status(), 405, "{path}");
    }
}

#[tokio::test]
async fn failed_client_authentications_are_counted_and_rate_limited() {
    let server = Setup::default()
        .with_sections(
            "[rate_limits]\naddress_burst = 3\naddress_replenish = \"1h\"\nkey_burst = 100\nkey_replenish = \"1h\"",
        )
        .spawn()
        .await;
    let wrong = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", "guess"),
    ];
    for _ in 0..3 {
        let response = post_form(&server, TOKEN_PATH, &wrong).await;
        assert_eq!(response.status(), 401);
    }

    let limited = post_form(&server, TOKEN_PATH, &wrong).await;
    assert_eq!(limited.status(), 429);
    assert!(header(&limited, "retry-after").is_some_and(|s| s.parse::<u64>().unwrap() >= 1));
    let body: serde_json::Value = limited.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
    // Once blocked, even the right secret is refused: a guesser cannot tell a hit.
    let right = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ];
    assert_eq!(post_form(&server, TOKEN_PATH, &right).await.status(), 429);

    let metrics = send(server.api.get(server.url("/metrics")))
        .await
        .text()
        .await
        .unwrap();
    let refused = metrics
        .lines()
        .find(|l| l.contains("reason=\"invalid_client\""))
        .unwrap_or_else(|| panic!("a count of failed client authentications in {metrics}"));
    // The recorder is one per test process, shared with other tests' failures.
    let count: f64 = refused.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count >= 3.0, "{refused}");
}
