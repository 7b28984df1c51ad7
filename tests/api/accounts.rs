//! `docs/protocol.md#control-plane` (users and API keys at runtime): create, read, replace and
//! delete over HTTP; validation naming the field, 404 and 409; a deleted user's or key's refresh
//! tokens stop working; runtime state survives a restart and reaches another process in 1 s.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

const NEW_UID: &str = "0f4b8a7e-2c1d-4e5f-9a8b-7c6d5e4f3a2b";

fn new_user() -> Value {
    json!({"uid": NEW_UID, "nick": "runtime", "email": "runtime@example.com",
           "password": "runtime-secret", "claims": {"locale": "nl"}})
}

async fn call(app: &TestApp, method: &str, path: &str, body: Option<Value>) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let request = app
        .api
        .request(method, app.url(&format!("/_emulator/{path}")));
    send(match body {
        Some(body) => request.json(&body),
        None => request,
    })
    .await
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.expect("a JSON body")
}

/// Logs `username` in through the form for `key`; the 303's tokens, or the status otherwise.
async fn form_login(
    app: &TestApp,
    key: &str,
    username: &str,
    password: &str,
) -> Result<Tokens, u16> {
    let browser = app.browser();
    let form = browser.open_form(&connect_query(key, APP_CALLBACK)).await;
    let response = browser.submit_login(&form, username, password).await;
    match response.status().as_u16() {
        303 => Ok(Tokens::from_redirect(&response)),
        other => Err(other),
    }
}

#[tokio::test]
async fn a_user_created_at_runtime_is_listed_without_password_logs_in_and_can_be_changed() {
    let app = TestApp::spawn().await;

    let created = json_of(call(&app, "POST", "users", Some(new_user())).await, 201).await;
    let listed = json_of(call(&app, "GET", "users", None).await, 200).await;
    let by_nick = json_of(call(&app, "GET", "users/runtime", None).await, 200).await;

    assert_eq!(
        created,
        json!({"uid": NEW_UID, "nick": "runtime",
        "email": "runtime@example.com", "claims": {"locale": "nl"}})
    );
    assert_eq!(by_nick, created);
    assert_eq!(
        listed["users"].as_array().unwrap().len(),
        3,
        "two configured, one new"
    );
    assert!(
        !listed.to_string().contains("runtime-secret"),
        "never the password"
    );
    let tokens = form_login(&app, KEY_WITH_REFRESH, "runtime", "runtime-secret").await;
    let claims = Jwt::parse(&tokens.expect("the new user logs in").jwt).claims();
    assert_eq!(claims["uid"], NEW_UID);
    assert_eq!(claims["locale"], "nl", "the user's extra claims are issued");

    let changed = json!({"nick": "renamed", "password": "new-secret"});
    let replaced = json_of(
        call(&app, "PUT", &format!("users/{NEW_UID}"), Some(changed)).await,
        200,
    )
    .await;
    assert_eq!(replaced["nick"], "renamed");
    assert_eq!(replaced["email"], "", "a replacement is whole");
    assert_eq!(
        form_login(&app, KEY_WITH_REFRESH, "renamed", "runtime-secret")
            .await
            .err(),
        Some(200)
    );
    assert!(
        form_login(&app, KEY_WITH_REFRESH, "renamed", "new-secret")
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn user_requests_that_are_invalid_unknown_or_duplicate_are_json_errors_naming_the_field() {
    let app = TestApp::spawn().await;
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut user = new_user();
        edit(&mut user);
        user
    };
    let cases = [
        (
            "POST",
            "users".to_owned(),
            Some(with(&|u| u["uid"] = json!("not-a-uuid"))),
            400,
            Some("uid"),
            "a uid that is no UUID",
        ),
        (
            "POST",
            "users".to_owned(),
            Some(with(&|u| u["nick"] = json!(" "))),
            400,
            Some("nick"),
            "an empty nick",
        ),
        (
            "POST",
            "users".to_owned(),
            Some(with(&|u| {
                u.as_object_mut().unwrap().remove("uid");
            })),
            400,
            Some("uid"),
            "no uid",
        ),
        (
            "POST",
            "users".to_owned(),
            Some(with(&|u| u["uid"] = json!(USER_UID))),
            409,
            Some("uid"),
            "a configured user's uid",
        ),
        (
            "POST",
            "users".to_owned(),
            Some(with(&|u| u["nick"] = json!("STIKSELS"))),
            409,
            Some("uid"),
            "a nick taken, in another case",
        ),
        (
            "POST",
            "users".to_owned(),
            Some(with(&|u| u["colour"] = json!("red"))),
            400,
            None,
            "an unknown member",
        ),
        (
            "GET",
            "users/nobody".to_owned(),
            None,
            404,
            None,
            "reading an unknown user",
        ),
        (
            "PUT",
            "users/nobody".to_owned(),
            Some(new_user()),
            404,
            None,
            "replacing an unknown user",
        ),
        (
            "PUT",
            format!("users/{USER_UID}"),
            Some(new_user()),
            400,
            Some("uid"),
            "changing a uid",
        ),
        (
            "POST",
            "users".to_owned(),
            Some(with(&|u| u["nick"] = json!("nul\u{0}nick"))),
            400,
            Some("nick"),
            "a NUL in a nick (no backend stores one)",
        ),
        (
            "POST",
            "users".to_owned(),
            Some(with(&|u| u["email"] = json!("a\u{0}@example.test"))),
            400,
            Some("email"),
            "a NUL in an e-mail address",
        ),
        (
            "DELETE",
            "users/nobody".to_owned(),
            None,
            404,
            None,
            "deleting an unknown user",
        ),
    ];
    for (method, path, body, status, field, case) in cases {
        assert_control_error(call(&app, method, &path, body).await, status, field, case).await;
    }
    let listed = json_of(call(&app, "GET", "users", None).await, 200).await;
    assert_eq!(
        listed["users"].as_array().unwrap().len(),
        2,
        "nothing was stored"
    );
}

#[tokio::test]
async fn deleting_a_user_or_a_key_makes_their_refresh_tokens_fail() {
    let app = TestApp::spawn().await;
    json_of(call(&app, "POST", "users", Some(new_user())).await, 201).await;
    let of_user = mint(
        &app,
        json!({"user": "runtime", "api_key": KEY_WITH_REFRESH}),
    )
    .await;
    let of_key = mint(
        &app,
        json!({"user": USER_NICK, "api_key": OTHER_KEY_WITH_REFRESH}),
    )
    .await;
    let kept = mint(
        &app,
        json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH}),
    )
    .await;
    let refresh = |t: &Value| t["refresh"].as_str().unwrap().to_owned();

    assert_eq!(
        call(&app, "DELETE", &format!("users/{NEW_UID}"), None)
            .await
            .status(),
        204
    );
    assert_eq!(
        call(
            &app,
            "DELETE",
            &format!("api-keys/{OTHER_KEY_WITH_REFRESH}"),
            None
        )
        .await
        .status(),
        204
    );

    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &refresh(&of_user))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.refresh_with(OTHER_KEY_WITH_REFRESH, &refresh(&of_key))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &refresh(&kept))
            .await
            .status(),
        200
    );
    assert_eq!(call(&app, "GET", "users/runtime", None).await.status(), 404);
    assert_eq!(
        form_login(&app, KEY_WITH_REFRESH, "runtime", "runtime-secret")
            .await
            .err(),
        Some(200)
    );
}

#[tokio::test]
async fn an_api_key_created_at_runtime_works_at_once_and_its_permissions_can_be_replaced() {
    let app = TestApp::spawn().await;
    let body = json!({"name": "Runtime app", "permissions": ["refresh", "entry_api"],
                      "destinations": [APP_CALLBACK]});

    let created = json_of(call(&app, "POST", "api-keys", Some(body)).await, 201).await;
    let key = created["key"]
        .as_str()
        .expect("a generated key, shown once")
        .to_owned();
    let listed = json_of(call(&app, "GET", "api-keys", None).await, 200).await;
    let read = json_of(
        call(&app, "GET", &format!("api-keys/{key}"), None).await,
        200,
    )
    .await;

    assert_eq!(key.len(), 43, "256 random bits");
    assert!(
        !listed.to_string().contains(&key),
        "listings never show a key"
    );
    assert_eq!(read["name"], "Runtime app");
    assert_eq!(read["key_hint"], format!("{}…", &key[..4]));
    assert_eq!(read["permissions"], json!(["refresh", "entry_api"]));
    let tokens = form_login(&app, &key, USER_NICK, USER_PASSWORD)
        .await
        .expect("login");
    assert_eq!(app.refresh_with(&key, tokens.refresh()).await.status(), 200);

    let fewer = json!({"name": "Runtime app", "permissions": ["entry_api"], "destinations": [APP_CALLBACK]});
    json_of(
        call(&app, "PUT", &format!("api-keys/{key}"), Some(fewer)).await,
        200,
    )
    .await;
    assert_empty_400(
        app.refresh_with(&key, tokens.refresh()).await,
        "refresh permission removed",
    )
    .await;
}

#[tokio::test]
async fn api_key_requests_that_are_invalid_unknown_or_duplicate_are_json_errors_naming_the_field() {
    let app = TestApp::spawn().await;
    let key = |edit: &dyn Fn(&mut Value)| {
        let mut body = json!({"key": "fresh-key", "name": "Fresh", "permissions": ["refresh"],
                              "destinations": ["https://fresh.test/cb"]});
        edit(&mut body);
        body
    };
    let cases = [
        (
            "POST",
            "api-keys",
            Some(key(&|k| k["permissions"] = json!(["admin"]))),
            400,
            Some("permissions"),
            "an unknown permission",
        ),
        (
            "POST",
            "api-keys",
            Some(key(&|k| k["destinations"] = json!(["ftp://x.test/"]))),
            400,
            Some("destinations"),
            "a destination that is no http(s) URL",
        ),
        (
            "POST",
            "api-keys",
            Some(key(&|k| k["name"] = json!(""))),
            400,
            Some("name"),
            "an empty name",
        ),
        (
            "POST",
            "api-keys",
            Some(key(&|k| k["key"] = json!(" "))),
            400,
            Some("key"),
            "an empty key",
        ),
        (
            "POST",
            "api-keys",
            Some(key(&|k| k["key"] = json!(KEY_WITH_REFRESH))),
            409,
            Some("key"),
            "a configured key",
        ),
        (
            "GET",
            "api-keys/nope",
            None,
            404,
            None,
            "reading an unknown key",
        ),
        (
            "PUT",
            "api-keys/nope",
            Some(key(&|k| {
                k.as_object_mut().unwrap().remove("key");
            })),
            404,
            None,
            "replacing an unknown key",
        ),
        (
            "PUT",
            &format!("api-keys/{KEY_WITH_REFRESH}"),
            Some(key(&|_| {})),
            400,
            Some("key"),
            "renaming a key",
        ),
        (
            "POST",
            "api-keys",
            Some(key(&|k| k["name"] = json!("nul\u{0}name"))),
            400,
            Some("name"),
            "a NUL in a key's name",
        ),
        (
            "DELETE",
            "api-keys/nope",
            None,
            404,
            None,
            "deleting an unknown key",
        ),
    ];
    for (method, path, body, status, field, case) in cases {
        assert_control_error(call(&app, method, path, body).await, status, field, case).await;
    }
}

#[tokio::test]
async fn runtime_users_survive_a_restart_and_configured_ones_are_reset_to_the_configuration() {
    let app = TestApp::spawn().await;
    json_of(call(&app, "POST", "users", Some(new_user())).await, 201).await;
    let edited = json!({"nick": USER_NICK, "email": "edited@example.com", "password": "x"});
    json_of(
        call(&app, "PUT", &format!("users/{USER_UID}"), Some(edited)).await,
        200,
    )
    .await;
    set_clock(&app, json!({"at": 2_000_000_000, "frozen": true})).await;

    let app = app.restart().await;

    assert_eq!(
        json_of(call(&app, "GET", "users/runtime", None).await, 200).await["uid"],
        NEW_UID
    );
    let configured = json_of(
        call(&app, "GET", &format!("users/{USER_UID}"), None).await,
        200,
    )
    .await;
    assert_eq!(
        configured["email"], USER_EMAIL,
        "the configuration wins at start"
    );
    let clock = json_of(call(&app, "GET", "clock", None).await, 200).await;
    assert_eq!(clock["now"], 2_000_000_000, "the frozen clock survives too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_made_through_one_process_reaches_another_on_the_same_database_within_a_second() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = Setup::default().spawn_in(dir.path()).await;
    let second = Setup::default().spawn_in(dir.path()).await;
    let (a, b) = (&first.address, &second.address);
    let api = client();

    let created = api
        .post(format!("{a}/_emulator/users"))
        .json(&new_user())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let moved = api
        .post(format!("{a}/_emulator/clock"))
        .json(&json!({"at": 2_000_000_000, "frozen": true}));
    assert_eq!(moved.send().await.unwrap().status(), 200);
    let started = Instant::now();
    loop {
        let user = api
            .get(format!("{b}/_emulator/users/runtime"))
            .send()
            .await
            .unwrap()
            .status();
        let clock = get_json(&api, &format!("{b}/_emulator/clock")).await;
        if user == 200 && clock["now"] == 2_000_000_000 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "seen by the other process within 1 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
