//! `docs/protocol.md#control-plane` (refresh tokens): metadata without secrets, revocation of
//! one token or all of a user or key, revocation racing refreshes, and persistence.

use std::time::Instant;

use serde_json::{Value, json};

use crate::support::*;

async fn list(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/_emulator/refresh-tokens{query}")).await;
    assert_eq!(response.status(), 200, "listing {query}");
    response.json().await.expect("a JSON listing")
}

async fn delete(app: &TestApp, path_and_query: &str) -> reqwest::Response {
    send(app.api.delete(app.url(path_and_query))).await
}

async fn revoked_count(response: reqwest::Response) -> u64 {
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("a JSON answer");
    body["revoked"].as_u64().expect("a count")
}

/// A refresh token for `user` and `key`, minted over the control plane.
async fn minted_refresh(app: &TestApp, user: &str, key: &str) -> String {
    let tokens = mint(app, json!({"user": user, "api_key": key})).await;
    tokens["refresh"]
        .as_str()
        .expect("a refresh token")
        .to_owned()
}

#[tokio::test]
async fn the_listing_shows_metadata_filtered_by_user_and_key_and_never_a_token_or_hash() {
    let app = TestApp::spawn().await;
    let mine = minted_refresh(&app, USER_NICK, KEY_WITH_REFRESH).await;
    minted_refresh(&app, USER_NICK, OTHER_KEY_WITH_REFRESH).await;
    minted_refresh(&app, "noemail", KEY_WITH_REFRESH).await;

    let all = list(&app, "").await;
    let by_user = list(&app, &format!("?user={USER_NICK}")).await;
    let by_both = list(
        &app,
        &format!("?user={USER_UID}&api_key={KEY_WITH_REFRESH}"),
    )
    .await;

    assert_eq!(all["refresh_tokens"].as_array().unwrap().len(), 3);
    assert_eq!(by_user["refresh_tokens"].as_array().unwrap().len(), 2);
    let only = &by_both["refresh_tokens"].as_array().unwrap()[..];
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["user"], USER_UID);
    assert_eq!(only[0]["api_key"], "App with refresh");
    assert!(only[0]["id"].is_i64() && only[0]["created_at"].is_i64());
    assert!(only[0]["revoked_at"].is_null() && only[0]["last_used_at"].is_null());
    let text = all.to_string();
    assert!(!text.contains(&mine), "the token itself is never listed");
    assert!(!text.contains("hash"), "nor its hash: {text}");
}

#[tokio::test]
async fn revoking_one_token_by_id_makes_its_refresh_fail_and_leaves_the_others_working() {
    let app = TestApp::spawn().await;
    let doomed = minted_refresh(&app, USER_NICK, KEY_WITH_REFRESH).await;
    let kept = minted_refresh(&app, USER_NICK, KEY_WITH_REFRESH).await;
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &doomed).await.status(),
        200
    );
    let listed = list(&app, "").await;
    let id = listed["refresh_tokens"][1]["id"]
        .as_i64()
        .expect("the older token's id");

    let path = format!("/_emulator/refresh-tokens/{id}");
    let first = revoked_count(delete(&app, &path).await).await;
    let again = revoked_count(delete(&app, &path).await).await;

    assert_eq!((first, again), (1, 0), "revoking twice revokes once");
    let refused = app.refresh_with(KEY_WITH_REFRESH, &doomed).await;
    assert_text_400(
        refused,
        "invalid_grant: Unknown or invalid refresh token.",
        "revoked",
    )
    .await;
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &kept).await.status(),
        200
    );
    let after = list(&app, "").await;
    assert!(after["refresh_tokens"][1]["revoked_at"].is_i64());
    assert!(
        after["refresh_tokens"][1]["last_used_at"].is_i64(),
        "the earlier use shows"
    );
}

#[tokio::test]
async fn revoking_all_of_a_user_or_a_key_answers_how_many_and_spares_the_rest() {
    let app = TestApp::spawn().await;
    let user_other_key = minted_refresh(&app, USER_NICK, OTHER_KEY_WITH_REFRESH).await;
    minted_refresh(&app, USER_NICK, KEY_WITH_REFRESH).await;
    let other_user = minted_refresh(&app, "noemail", KEY_WITH_REFRESH).await;
    let by_key_and_user = format!("?user={USER_NICK}&api_key={KEY_WITH_REFRESH}");

    let narrow = delete(&app, &format!("/_emulator/refresh-tokens{by_key_and_user}")).await;
    assert_eq!(revoked_count(narrow).await, 1);
    assert_eq!(
        app.refresh_with(OTHER_KEY_WITH_REFRESH, &user_other_key)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &other_user)
            .await
            .status(),
        200
    );

    let by_user = delete(&app, &format!("/_emulator/refresh-tokens?user={USER_UID}")).await;
    assert_eq!(revoked_count(by_user).await, 1, "the one left of that user");
    let by_key = delete(
        &app,
        &format!("/_emulator/refresh-tokens?api_key={KEY_WITH_REFRESH}"),
    )
    .await;
    assert_eq!(revoked_count(by_key).await, 1, "the other user's");
    for (key, token) in [
        (OTHER_KEY_WITH_REFRESH, &user_other_key),
        (KEY_WITH_REFRESH, &other_user),
    ] {
        assert_eq!(app.refresh_with(key, token).await.status(), 400);
    }
}

#[tokio::test]
async fn unknown_ids_users_and_keys_and_a_revocation_without_a_filter_are_json_errors() {
    let app = TestApp::spawn().await;
    let cases = [
        ("/_emulator/refresh-tokens/999", 404, None, "an unknown id"),
        (
            "/_emulator/refresh-tokens/abc",
            400,
            Some("id"),
            "an id that is no number",
        ),
        (
            "/_emulator/refresh-tokens?user=nobody",
            404,
            Some("user"),
            "an unknown user",
        ),
        (
            "/_emulator/refresh-tokens?api_key=nope",
            404,
            Some("api_key"),
            "an unknown key",
        ),
        (
            "/_emulator/refresh-tokens",
            400,
            Some("user"),
            "no filter: not everything at once",
        ),
        (
            "/_emulator/refresh-tokens?user=a&user=b",
            400,
            None,
            "a parameter given twice",
        ),
    ];
    for (path, status, field, case) in cases {
        assert_control_error(delete(&app, path).await, status, field, case).await;
    }
    let listing = app.get("/_emulator/refresh-tokens?api_key=nope").await;
    assert_control_error(listing, 404, Some("api_key"), "listing an unknown key").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn once_a_revocation_has_answered_no_refresh_of_that_token_succeeds() {
    let app = TestApp::spawn().await;
    for trial in 0..20 {
        let token = minted_refresh(&app, USER_NICK, KEY_WITH_REFRESH).await;
        let url = app.url(&format!(
            "/refresh?{}",
            form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", &token)])
        ));
        let mut refreshes = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (client, url) = (app.api.clone(), url.clone());
            refreshes.spawn(async move {
                let mut seen = Vec::new();
                for _ in 0..6 {
                    let sent = Instant::now();
                    let status = send(client.get(&url)).await.status();
                    seen.push((sent, status));
                }
                seen
            });
        }
        let revoked = delete(&app, &format!("/_emulator/refresh-tokens?user={USER_NICK}")).await;
        assert_eq!(revoked.status(), 200);
        let answered = Instant::now();
        for (sent, status) in refreshes.join_all().await.into_iter().flatten() {
            if sent > answered {
                assert_eq!(
                    status, 400,
                    "trial {trial}: a refresh sent after the revocation"
                );
            }
        }
        assert_eq!(send(app.api.get(&url)).await.status(), 400, "trial {trial}");
    }
}

#[tokio::test]
async fn a_revocation_survives_a_restart() {
    let app = TestApp::spawn().await;
    let token = minted_refresh(&app, USER_NICK, KEY_WITH_REFRESH).await;
    let revoked = delete(&app, &format!("/_emulator/refresh-tokens?user={USER_NICK}")).await;
    assert_eq!(revoked_count(revoked).await, 1);

    let app = app.restart().await;

    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &token).await.status(),
        400
    );
    assert!(list(&app, "").await["refresh_tokens"][0]["revoked_at"].is_i64());
}
