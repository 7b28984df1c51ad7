//! `docs/protocol.md#control-plane` (keys): rotation publishes a new active key and keeps the
//! old one in the JWKS for the overlap, on the emulator clock; every process follows.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

async fn keys(app: &TestApp) -> Value {
    app.get("/_emulator/keys")
        .await
        .json()
        .await
        .expect("the keys as JSON")
}

async fn rotate(app: &TestApp, body: Value) -> reqwest::Response {
    post(app, "keys/rotate", &body).await
}

fn kids(jwks: &Value) -> Vec<String> {
    let keys = jwks["keys"].as_array().expect("a key list");
    keys.iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn after_a_rotation_old_tokens_verify_for_the_overlap_and_new_ones_use_the_new_key() {
    let app = Setup::generated_key().spawn().await;
    let old_kid = kids(&keys(&app).await)[0].clone();
    let old_token = jwt(&app, USER_NICK).await;

    let rotated = rotate(&app, json!({"overlap": "1h"})).await;
    assert_eq!(rotated.status(), 200);
    let listed: Value = rotated.json().await.unwrap();
    let jwks = app.jwks().await;
    let new_token = jwt(&app, USER_NICK).await;

    let new_kid = &listed["keys"][0]["kid"];
    assert_ne!(new_kid, &json!(old_kid));
    assert_eq!(listed["keys"][0]["active"], true);
    assert_eq!(listed["keys"][1]["kid"], json!(old_kid));
    assert_eq!(listed["keys"][1]["retiring_at"], app.now() + 3600);
    assert_eq!(
        kids(&jwks),
        vec![new_kid.as_str().unwrap().to_owned(), old_kid.clone()]
    );
    let new_pem = key_from_pem(&app.public_pem().await);
    assert!(
        Jwt::parse(&new_token).verifies_with(&new_pem),
        "/public.pem is the new key"
    );
    assert!(!Jwt::parse(&old_token).verifies_with(&new_pem));
    assert_eq!(
        user_with(&app, &old_token).await.status(),
        200,
        "old tokens pass the overlap"
    );
    assert_eq!(user_with(&app, &new_token).await.status(), 200);
    let response = app.get("/.well-known/jwks.json").await;
    assert_eq!(
        header(&response, "cache-control"),
        Some("public, max-age=60")
    );

    set_clock(&app, json!({"advance": "2h"})).await;

    assert_eq!(
        kids(&app.jwks().await),
        vec![new_kid.as_str().unwrap().to_owned()]
    );
    let detail = "Token signature verification failed. The token is likely forged or manipulated.";
    assert_problem(
        user_with(&app, &old_token).await,
        401,
        detail,
        "after the overlap",
    )
    .await;
    assert_eq!(keys(&app).await["keys"][1]["published"], false);
}

#[tokio::test]
async fn a_rotation_without_overlap_drops_the_old_key_at_once() {
    let app = Setup::generated_key().spawn().await;
    let old_token = jwt(&app, USER_NICK).await;

    assert_eq!(rotate(&app, json!({})).await.status(), 200);

    assert_eq!(app.jwks().await["keys"].as_array().unwrap().len(), 1);
    assert_eq!(user_with(&app, &old_token).await.status(), 401);
}

#[tokio::test]
async fn rotation_is_refused_with_a_configured_key_file_or_a_bad_overlap() {
    let with_file = TestApp::spawn().await;
    let refused = rotate(&with_file, json!({"overlap": "1h"})).await;
    assert_control_error(refused, 409, None, "a configured key file").await;

    let generated = Setup::generated_key().spawn().await;
    for (overlap, case) in [(json!("soon"), "not a duration"), (json!(-5), "negative")] {
        let refused = rotate(&generated, json!({"overlap": overlap})).await;
        assert_control_error(refused, 400, Some("overlap"), case).await;
    }
    assert_eq!(keys(&generated).await["keys"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rotation_through_one_process_is_served_by_another_within_a_second() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = Setup::generated_key().spawn_in(dir.path()).await;
    let second = Setup::generated_key().spawn_in(dir.path()).await;
    let bases = [&first.address, &second.address];
    let api = client();
    let rotated = api
        .post(format!("{}/_emulator/keys/rotate", bases[0]))
        .json(&json!({}));
    let rotated: Value = rotated.send().await.unwrap().json().await.unwrap();
    let new_kid = rotated["keys"][0]["kid"].clone();

    let started = Instant::now();
    loop {
        let jwks = get_json(&api, &format!("{}/.well-known/jwks.json", bases[1])).await;
        if jwks["keys"][0]["kid"] == new_kid && jwks["keys"].as_array().unwrap().len() == 1 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the other process follows within 1 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
