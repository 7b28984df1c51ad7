//! `/_emulator/clients` (`docs/protocol.md#control-plane`): runtime OAuth2 clients under the
//! rules of configured ones, taking effect at the token endpoint at once.

use serde_json::{Value, json};

use crate::support::app::TestApp;
use crate::support::client_loop::assert_control_error;
use crate::support::http::send;
use crate::support::oauth::{TOKEN_PATH, post_form};
use crate::support::setup::{CLIENT_ID, CLIENT_SECRET};

async fn create(server: &TestApp, body: Value) -> reqwest::Response {
    send(
        server
            .api
            .post(server.url("/_emulator/clients"))
            .json(&body),
    )
    .await
}

async fn token_status(server: &TestApp, id: &str, secret: &str) -> u16 {
    let pairs = [
        ("grant_type", "client_credentials"),
        ("client_id", id),
        ("client_secret", secret),
    ];
    post_form(server, TOKEN_PATH, &pairs)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn configured_clients_are_listed_without_secrets() {
    let server = TestApp::spawn().await;
    let list: Value = send(server.api.get(server.url("/_emulator/clients")))
        .await
        .json()
        .await
        .unwrap();
    let first = &list["clients"][0];
    assert_eq!(first["client_id"], CLIENT_ID);
    assert_eq!(first["apis"], json!(["entry", "sapi"]));
    assert_eq!(first["public"], false);
    assert!(!list.to_string().contains(CLIENT_SECRET), "{list}");
    let one: Value = send(
        server
            .api
            .get(server.url(&format!("/_emulator/clients/{CLIENT_ID}"))),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(&one, first);
}

#[tokio::test]
async fn a_created_client_gets_tokens_at_once_and_a_generated_secret_is_shown_once() {
    let server = TestApp::spawn().await;
    let created = create(
        &server,
        json!({"name": "Generated", "grants": ["client_credentials"], "apis": ["entry"]}),
    )
    .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(
        uuid::Uuid::parse_str(&id).is_ok(),
        "a UUID like publiq's: {id}"
    );
    assert!(
        secret.len() >= 32 && secret.chars().all(|c| c.is_ascii_alphanumeric()),
        "{secret}"
    );

    assert_eq!(token_status(&server, &id, &secret).await, 200);
    let read: Value = send(
        server
            .api
            .get(server.url(&format!("/_emulator/clients/{id}"))),
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(read.get("secret").is_none(), "shown once: {read}");
}

#[tokio::test]
async fn replacing_keeps_the_secret_unless_given_and_deleting_locks_the_client_out() {
    let server = TestApp::spawn().await;
    let body = json!({"client_id": "runtime", "secret": "first1", "name": "R", "grants": ["client_credentials"]});
    assert_eq!(create(&server, body).await.status(), 201);
    let url = server.url("/_emulator/clients/runtime");

    let renamed =
        send(server.api.put(&url).json(
            &json!({"name": "Renamed", "grants": ["client_credentials"], "apis": ["entry"]}),
        ))
        .await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(
        token_status(&server, "runtime", "first1").await,
        200,
        "secret kept"
    );
    let new_secret =
        json!({"name": "Renamed", "secret": "second2", "grants": ["client_credentials"]});
    assert_eq!(
        send(server.api.put(&url).json(&new_secret)).await.status(),
        200
    );
    assert_eq!(
        token_status(&server, "runtime", "first1").await,
        401,
        "old secret dead"
    );
    assert_eq!(token_status(&server, "runtime", "second2").await, 200);

    assert_eq!(send(server.api.delete(&url)).await.status(), 204);
    assert_eq!(token_status(&server, "runtime", "second2").await, 401);
    assert_eq!(send(server.api.delete(&url)).await.status(), 404);
}

#[tokio::test]
async fn each_rule_of_configured_clients_is_a_400_naming_the_field() {
    let server = TestApp::spawn().await;
    let cc = json!(["client_credentials"]);
    #[rustfmt::skip]
    let cases = [
        (json!({"name": "", "grants": cc}), "name", "an empty name"),
        (json!({"name": "x", "grants": []}), "grants", "no grant"),
        (json!({"name": "x", "grants": ["implicit"]}), "grants", "an unknown grant"),
        (json!({"name": "x", "grants": cc, "secret": "has-dash"}), "secret", "a secret with a dash"),
        (json!({"name": "x", "grants": cc, "public": true}), "grants", "a public client with client credentials"),
        (json!({"name": "x", "grants": ["authorization_code"]}), "redirect_uris", "the code grant without redirect URIs"),
        (json!({"name": "x", "grants": cc, "redirect_uris": ["https://a.test/#frag"]}), "redirect_uris", "a fragment"),
        (json!({"name": "x", "grants": cc, "post_logout_redirect_uris": ["javascript:alert(1)"]}), "post_logout_redirect_uris", "a script URI"),
        (json!({"name": "x", "grants": cc, "apis": ["entry api"]}), "apis", "an API name with a space"),
        (json!({"client_id": "a:b", "name": "x", "grants": cc}), "client_id", "a colon in the id"),
        (json!({"name": "x\u{0}", "grants": cc}), "name", "a NUL in the name"),
    ];
    for (body, field, case) in cases {
        assert_control_error(create(&server, body).await, 400, Some(field), case).await;
    }
    let taken = json!({"client_id": CLIENT_ID, "name": "x", "grants": cc});
    assert_control_error(
        create(&server, taken).await,
        409,
        Some("client_id"),
        "a taken id",
    )
    .await;
    let renamed = send(
        server
            .api
            .put(server.url(&format!("/_emulator/clients/{CLIENT_ID}")))
            .json(&json!({"client_id": "other", "name": "x", "grants": cc})),
    )
    .await;
    assert_control_error(renamed, 400, Some("client_id"), "a rename").await;
    let missing = send(server.api.get(server.url("/_emulator/clients/nobody"))).await;
    assert_control_error(missing, 404, None, "an unknown id").await;
}

#[tokio::test]
async fn reset_drops_runtime_clients_and_restores_configured_ones() {
    let server = TestApp::spawn().await;
    let body = json!({"client_id": "runtime", "secret": "s1", "name": "R", "grants": ["client_credentials"]});
    assert_eq!(create(&server, body).await.status(), 201);
    let url = server.url(&format!("/_emulator/clients/{CLIENT_ID}"));
    assert_eq!(send(server.api.delete(&url)).await.status(), 204);

    assert_eq!(
        send(server.api.post(server.url("/_emulator/reset")))
            .await
            .status(),
        204
    );

    assert_eq!(token_status(&server, "runtime", "s1").await, 401);
    assert_eq!(token_status(&server, CLIENT_ID, CLIENT_SECRET).await, 200);
}
