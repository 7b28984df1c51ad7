//! `docs/protocol.md#faults` (queueing): exactly `times` uses however many requests arrive at
//! once, listing and deleting, validation naming the field, and faults stored in the database
//! (a restart keeps them, another process on the same file applies them, a reset clears them).

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::*;

/// `POST /_emulator/faults`, expecting 201; the `{"id", "queue_depth"}` answer.
pub async fn queue_fault(app: &TestApp, fault: Value) -> Value {
    let response = post(app, "faults", &fault).await;
    assert_eq!(response.status(), 201, "queueing {fault}");
    response.json().await.expect("the queued fault as JSON")
}

pub async fn pending_faults(app: &TestApp) -> Vec<Value> {
    let listing: Value = app.get("/_emulator/faults").await.json().await.unwrap();
    listing["faults"].as_array().expect("a list").clone()
}

/// A refresh token of the default user for `KEY_WITH_REFRESH`, minted over the control plane.
pub async fn refresh_token(app: &TestApp) -> String {
    let tokens = mint(app, json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH})).await;
    tokens["refresh"]
        .as_str()
        .expect("a refresh token")
        .to_owned()
}

/// Status and body of a `/refresh` with the default key.
async fn refreshed(app: &TestApp, token: &str) -> (u16, String) {
    let response = app.refresh_with(KEY_WITH_REFRESH, token).await;
    (response.status().as_u16(), text(response).await)
}

#[tokio::test]
async fn a_status_fault_answers_instead_exactly_times_then_the_route_answers_normally() {
    let app = TestApp::spawn().await;
    let token = refresh_token(&app).await;
    let fault = json!({"route": "/refresh", "times": 2, "status": 503, "body": "try later",
                       "headers": {"Retry-After": "7"}});
    let queued = queue_fault(&app, fault).await;
    assert_eq!(queued["queue_depth"], 1);

    for attempt in 1..=2 {
        let response = app.refresh_with(KEY_WITH_REFRESH, &token).await;
        assert_eq!(response.status(), 503, "attempt {attempt}");
        assert_eq!(header(&response, "retry-after"), Some("7"));
        assert_eq!(
            header(&response, "content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(text(response).await, "try later");
    }
    let (status, jwt) = refreshed(&app, &token).await;
    assert_eq!(status, 200, "the third refresh is not affected");
    assert!(Jwt::parse(&jwt).verifies_with(&key_from_pem(&app.public_pem().await)));
    assert!(
        pending_faults(&app).await.is_empty(),
        "a used-up fault is gone"
    );

    let journal: Value = app
        .get("/_emulator/journal?route=/refresh")
        .await
        .json()
        .await
        .unwrap();
    let faults: Vec<&str> = journal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fault"].as_str().unwrap_or("none"))
        .collect();
    let id = queued["id"].as_i64().unwrap();
    let applied = format!("fault {id}: status 503");
    assert_eq!(
        faults,
        ["none", applied.as_str(), applied.as_str()],
        "newest first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_requests_with_times_three_are_exactly_three_times_affected() {
    let app = TestApp::spawn().await;
    let token = refresh_token(&app).await;
    for trial in 0..3 {
        queue_fault(
            &app,
            json!({"route": "/refresh", "times": 3, "status": 503,
                                 "body": "injected"}),
        )
        .await;
        let url = app.url(&format!(
            "/refresh?{}",
            form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", &token)])
        ));
        let mut requests = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let request = app.api.get(&url);
            requests.spawn(async move {
                let response = send(request).await;
                (response.status().as_u16(), text(response).await)
            });
        }
        let answers = requests.join_all().await;
        let injected = answers
            .iter()
            .filter(|(s, b)| *s == 503 && b == "injected")
            .count();
        let normal = answers.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!((injected, normal), (3, 47), "trial {trial}: {answers:?}");
    }
}

#[tokio::test]
async fn pending_faults_are_listed_with_counts_and_deleted_one_or_all() {
    let app = TestApp::spawn().await;
    let token = refresh_token(&app).await;
    let first = queue_fault(
        &app,
        json!({"route": "/refresh", "status": 500, "times": 4,
                                         "api_key": KEY_WITH_REFRESH}),
    )
    .await;
    let second = queue_fault(
        &app,
        json!({"route": "/refresh", "delay": "2s",
                                          "api_key": "App with refresh"}),
    )
    .await;
    let other = queue_fault(&app, json!({"route": "/user", "connection": "reset"})).await;
    assert_eq!(
        [&first, &second, &other].map(|q| q["queue_depth"].as_i64()),
        [1, 2, 1].map(Some)
    );

    let listed = pending_faults(&app).await;
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["remaining"], 4);
    assert_eq!(listed[0]["api_key"], "App with refresh", "the key's name");
    assert!(
        !Value::Array(listed.clone())
            .to_string()
            .contains(KEY_WITH_REFRESH),
        "never the key"
    );
    assert_eq!(listed[1]["delay"], "2s");
    assert_eq!(
        listed[1]["api_key"], "App with refresh",
        "a key may be named by its name"
    );
    assert_eq!(listed[2]["connection"], "reset");

    let path = format!("/_emulator/faults/{}", second["id"]);
    assert_eq!(send(app.api.delete(app.url(&path))).await.status(), 204);
    assert_control_error(
        send(app.api.delete(app.url(&path))).await,
        404,
        None,
        "gone",
    )
    .await;
    let bad = send(app.api.delete(app.url("/_emulator/faults/abc"))).await;
    assert_control_error(bad, 400, Some("id"), "not an id").await;

    let cleared = send(app.api.delete(app.url("/_emulator/faults"))).await;
    assert_eq!(cleared.json::<Value>().await.unwrap()["deleted"], 2);
    assert!(pending_faults(&app).await.is_empty());
    assert_eq!(
        refreshed(&app, &token).await.0,
        200,
        "nothing left to apply"
    );
}

#[tokio::test]
async fn a_bad_fault_is_refused_naming_the_field_and_nothing_is_queued() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            json!({"route": "/logout", "status": 503}),
            400,
            Some("route"),
        ),
        (
            json!({"route": "/refresh", "status": 503, "times": 0}),
            400,
            Some("times"),
        ),
        (json!({"route": "/refresh"}), 400, Some("status")),
        (
            json!({"route": "/refresh", "status": 503, "delay": "1s"}),
            400,
            Some("delay"),
        ),
        (
            json!({"route": "/refresh", "delay": "1s", "body": "x"}),
            400,
            Some("body"),
        ),
        (
            json!({"route": "/refresh", "status": 99}),
            400,
            Some("status"),
        ),
        (
            json!({"route": "/refresh", "status": 503, "headers": {"bad name": "x"}}),
            400,
            Some("headers"),
        ),
        (
            json!({"route": "/refresh", "status": 503, "headers": {"Content-Length": "9"}}),
            400,
            Some("headers"),
        ),
        (
            json!({"route": "/refresh", "status": 503, "headers": {"X-N": 1}}),
            400,
            Some("headers"),
        ),
        (
            json!({"route": "/refresh", "delay": "soon"}),
            400,
            Some("delay"),
        ),
        (
            json!({"route": "/refresh", "delay": "11m"}),
            400,
            Some("delay"),
        ),
        (
            json!({"route": "/refresh", "token": "sideways"}),
            400,
            Some("token"),
        ),
        (
            json!({"route": "/user", "token": "expired"}),
            400,
            Some("token"),
        ),
        (
            json!({"route": "/refresh", "connection": "slow"}),
            400,
            Some("connection"),
        ),
        (
            json!({"route": "/refresh", "status": 503, "colour": "red"}),
            400,
            None,
        ),
        (
            json!({"route": "/refresh", "status": 503, "api_key": "nobody's"}),
            404,
            Some("api_key"),
        ),
        (
            json!({"route": "/refresh", "status": 503, "user": "nobody"}),
            404,
            Some("user"),
        ),
    ];
    for (body, status, field) in cases {
        assert_control_error(
            post(&app, "faults", &body).await,
            status,
            field,
            &body.to_string(),
        )
        .await;
    }
    assert!(pending_faults(&app).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_survive_a_restart_are_shared_by_processes_on_one_database_and_reset_clears_them() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = Setup::default().spawn_in(dir.path()).await;
    let second = Setup::default().spawn_in(dir.path()).await;
    let token = refresh_token(&first).await;
    queue_fault(
        &first,
        json!({"route": "/refresh", "times": 2, "status": 502}),
    )
    .await;
    // Within a second, as every shared change.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        refreshed(&second, &token).await.0,
        502,
        "the other process applies it"
    );
    assert_eq!(
        refreshed(&first, &token).await.0,
        502,
        "and the one that queued it"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        refreshed(&second, &token).await.0,
        200,
        "two uses in all, not two each"
    );
    assert_eq!(refreshed(&first, &token).await.0, 200);
    drop(second);

    queue_fault(&first, json!({"route": "/refresh", "status": 504})).await;
    let first = first.restart().await;
    assert_eq!(pending_faults(&first).await.len(), 1, "a restart keeps it");
    assert_eq!(refreshed(&first, &token).await.0, 504);

    queue_fault(&first, json!({"route": "/refresh", "status": 504})).await;
    assert_eq!(post(&first, "reset", &json!({})).await.status(), 204);
    assert!(
        pending_faults(&first).await.is_empty(),
        "a reset clears faults"
    );
}
