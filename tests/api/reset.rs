//! `docs/protocol.md#control-plane` (reset): one call returns the server to its configured
//! state for the next test, keeping the signing key.

use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn reset_restores_the_configured_state_and_keeps_the_signing_key() {
    let app = TestApp::spawn().await;
    let pem_before = app.public_pem().await;
    let user =
        json!({"uid": "0f4b8a7e-2c1d-4e5f-9a8b-7c6d5e4f3a2b", "nick": "runtime", "password": "p"});
    assert_eq!(post(&app, "users", &user).await.status(), 201);
    let key = json!({"key": "runtime-key", "name": "Runtime", "permissions": ["refresh"]});
    assert_eq!(post(&app, "api-keys", &key).await.status(), 201);
    let browser = app.browser();
    let tokens = Tokens::from_redirect(
        &browser
            .log_in(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
            .await,
    );
    let edited = json!({"nick": USER_NICK, "email": "edited@example.com", "password": "x"});
    let url = app.url(&format!("/_emulator/users/{USER_UID}"));
    assert_eq!(send(app.api.put(url).json(&edited)).await.status(), 200);
    set_clock(&app, json!({"advance": "5h", "frozen": true})).await;

    assert_eq!(post(&app, "reset", &json!({})).await.status(), 204);

    assert_eq!(app.get("/_emulator/users/runtime").await.status(), 404);
    assert_eq!(
        app.get("/_emulator/api-keys/runtime-key").await.status(),
        404
    );
    let configured: Value = app
        .get(&format!("/_emulator/users/{USER_UID}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(configured["email"], USER_EMAIL);
    let listed: Value = app
        .get("/_emulator/refresh-tokens")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["refresh_tokens"], json!([]));
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, tokens.refresh())
            .await
            .status(),
        400
    );
    let clock: Value = app.get("/_emulator/clock").await.json().await.unwrap();
    assert_eq!(
        (clock["offset"].as_i64(), &clock["frozen"]),
        (Some(0), &json!(false))
    );
    let again = browser
        .connect(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    assert!(
        location(&again).starts_with("/login?"),
        "the SSO session is gone: {}",
        location(&again)
    );
    assert_eq!(app.public_pem().await, pem_before, "the signing key stays");
}
