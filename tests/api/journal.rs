//! `docs/protocol.md#journal`: what the server answered, queried, verified ("was I called
//! once?") and waited for, without a token, key or query string in it.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

async fn verify(app: &TestApp, body: Value) -> reqwest::Response {
    post(app, "journal/verify", &body).await
}

async fn entries(app: &TestApp, query: &str) -> Vec<Value> {
    let body: Value = app
        .get(&format!("/_emulator/journal{query}"))
        .await
        .json()
        .await
        .unwrap();
    body["entries"]
        .as_array()
        .expect("a list of entries")
        .clone()
}

#[tokio::test]
async fn the_journal_lists_provider_requests_newest_first_with_key_user_and_lineage() {
    let app = TestApp::spawn().await;
    let tokens = mint(
        &app,
        json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH}),
    )
    .await;
    let refresh = tokens["refresh"].as_str().unwrap();
    let refreshed = text(app.refresh_with(KEY_WITH_REFRESH, refresh).await).await;
    assert_eq!(user_with(&app, &refreshed).await.status(), 200);
    app.refresh_with("nope", refresh).await;

    let all = entries(&app, "").await;
    let refreshes = entries(&app, "?route=/refresh&status=200").await;

    let routes: Vec<&str> = all.iter().map(|e| e["route"].as_str().unwrap()).collect();
    assert_eq!(
        routes,
        ["/refresh", "/user", "/refresh"],
        "newest first, no control plane"
    );
    assert_eq!(all[0]["status"], 400);
    assert_eq!(all[0]["api_key"], Value::Null, "an unknown key has no name");
    assert_eq!(refreshes.len(), 1);
    let entry = &refreshes[0];
    assert_eq!(
        (&entry["method"], &entry["api_key"], &entry["user"]),
        (&json!("GET"), &json!("App with refresh"), &json!(USER_UID))
    );
    let lineage = entry["lineage"].as_str().expect("a lineage");
    let access = lineage.rsplit(' ').next().unwrap();
    assert!(lineage.starts_with("refresh token "), "{lineage}");
    assert_eq!(
        all[1]["lineage"],
        format!("access token {access}"),
        "/user names the same token"
    );
    let text = Value::Array(all).to_string();
    for secret in [refresh, refreshed.as_str(), KEY_WITH_REFRESH] {
        assert!(!text.contains(secret), "no token or key in the journal");
    }
    assert!(!text.contains("apiKey"), "no query string");
}

#[tokio::test]
async fn verify_answers_202_within_bounds_and_406_with_what_was_found_and_the_closest() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    app.refresh_with(KEY_WITH_REFRESH, &refresh).await;

    let once = verify(
        &app,
        json!({"route": "/refresh", "api_key": KEY_WITH_REFRESH, "at_least": 1, "at_most": 1}),
    )
    .await;
    let by_nick = verify(&app, json!({"route": "/refresh", "user": USER_NICK})).await;
    let twice = verify(&app, json!({"route": "/refresh", "at_least": 2})).await;
    let never = verify(&app, json!({"route": "/user", "at_least": 1})).await;

    assert_eq!(
        (once.status().as_u16(), by_nick.status().as_u16()),
        (202, 202)
    );
    assert_eq!(twice.status(), 406);
    let mismatch: Value = twice.json().await.unwrap();
    assert_eq!(mismatch["found"], 1);
    assert_eq!(
        mismatch["expected"],
        json!({"route": "/refresh", "at_least": 2})
    );
    assert_eq!(mismatch["closest"][0]["route"], "/refresh");
    let mismatch: Value = never.json().await.unwrap();
    assert_eq!(mismatch["found"], 0);
    assert!(
        !mismatch["closest"].as_array().unwrap().is_empty(),
        "what did happen instead"
    );
    let no_route = verify(&app, json!({"status": 200})).await;
    assert_control_error(no_route, 400, Some("route"), "a verification needs a route").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wait_returns_a_request_that_arrives_later_or_408_at_the_timeout() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    let url = app.url(&format!(
        "/refresh?{}",
        form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", &refresh)])
    ));
    let client = app.api.clone();
    let later = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        send(client.get(url)).await.status()
    });

    let started = Instant::now();
    let waited = post(
        &app,
        "journal/wait",
        &json!({"route": "/refresh", "status": 200, "timeout": "5s"}),
    )
    .await;

    assert_eq!(waited.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "it waited for the request"
    );
    assert_eq!(waited.json::<Value>().await.unwrap()["route"], "/refresh");
    assert_eq!(later.await.unwrap(), 200);
    let timed_out = post(
        &app,
        "journal/wait",
        &json!({"route": "/user", "timeout": "1s"}),
    )
    .await;
    assert_eq!(timed_out.status(), 408);
    let too_long = post(
        &app,
        "journal/wait",
        &json!({"route": "/user", "timeout": "1h"}),
    )
    .await;
    assert_control_error(
        too_long,
        400,
        Some("timeout"),
        "longer than the request timeout",
    )
    .await;
}

#[tokio::test]
async fn clearing_or_resetting_empties_the_journal_and_it_keeps_at_most_its_capacity() {
    let app = TestApp::spawn().await;
    for _ in 0..1005 {
        app.get("/refresh").await;
    }
    assert_eq!(entries(&app, "").await.len(), 1000, "bounded");
    assert_eq!(entries(&app, "?limit=3").await.len(), 3);

    assert_eq!(
        send(app.api.delete(app.url("/_emulator/journal")))
            .await
            .status(),
        204
    );
    assert!(entries(&app, "").await.is_empty());
    app.get("/refresh").await;
    assert_eq!(post(&app, "reset", &json!({})).await.status(), 204);
    assert!(entries(&app, "").await.is_empty(), "reset clears it too");
}
