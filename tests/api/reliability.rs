//! `docs/reliability.md#concurrency`: many logins at once, two replicas starting on one empty
//! database, and clients that hang up half-way through a request.

use std::collections::HashSet;
use std::time::Duration;

use tokio::task::JoinSet;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_parallel_form_logins_get_a_hundred_distinct_tokens_each_bound_to_its_key() {
    let app = TestApp::spawn().await;
    let mut logins = JoinSet::new();
    for i in 0..100 {
        let (key, callback) = if i % 2 == 0 {
            (KEY_WITH_REFRESH, APP_CALLBACK)
        } else {
            (OTHER_KEY_WITH_REFRESH, OTHER_CALLBACK)
        };
        let browser = app.browser();
        logins.spawn(async move {
            let response = browser.log_in(&connect_query(key, callback)).await;
            assert_eq!(response.status(), 303, "login {i}");
            (key, Tokens::from_redirect(&response).refresh().to_owned())
        });
    }
    let issued = logins.join_all().await;

    let distinct: HashSet<&str> = issued.iter().map(|(_, refresh)| refresh.as_str()).collect();
    assert_eq!(
        distinct.len(),
        100,
        "every login gets its own refresh token"
    );
    for (key, refresh) in &issued {
        let other = if *key == KEY_WITH_REFRESH {
            OTHER_KEY_WITH_REFRESH
        } else {
            KEY_WITH_REFRESH
        };
        assert_eq!(
            app.refresh_with(key, refresh).await.status(),
            200,
            "with its own key"
        );
        assert_eq!(
            app.refresh_with(other, refresh).await.status(),
            400,
            "with the other key"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_starting_on_one_empty_database_share_exactly_one_signing_key() {
    for round in 0..5 {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let replica = || Setup::generated_key().spawn_in(dir.path());

        let (first, second) = tokio::join!(replica(), replica());

        let kid = |app: &TestApp| app.state().keys.active_kid().to_owned();
        assert_eq!(
            kid(&first),
            kid(&second),
            "round {round}: both replicas sign with one key"
        );
        let url = format!("sqlite://{}", first.database_path().display());
        let pool = sqlx::SqlitePool::connect(&url)
            .await
            .expect("the database opens");
        let keys: i64 = sqlx::query_scalar("SELECT count(*) FROM signing_keys")
            .fetch_one(&pool)
            .await
            .expect("the keys are counted");
        assert_eq!(keys, 1, "round {round}: exactly one key is stored");
        pool.close().await;
        first.stop().await;
        second.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_hanging_up_mid_request_leave_the_next_thousand_refreshes_working() {
    let app = Setup::headless(USER_NICK).spawn().await;
    let connect_url = app.url(&format!(
        "/connect?{}",
        connect_query(KEY_WITH_REFRESH, APP_CALLBACK)
    ));
    let login = send(app.api.get(&connect_url)).await;
    let refresh = Tokens::from_redirect(&login).refresh().to_owned();
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", &refresh)]);
    let refresh_url = app.url(&format!("/refresh?{query}"));

    // Arrange: 300 requests (reads and writes) abandoned after 0 to 2 ms.
    let mut abandoned = JoinSet::new();
    for i in 0..300u64 {
        let url = if i % 2 == 0 {
            refresh_url.clone()
        } else {
            connect_url.clone()
        };
        let api = app.api.clone();
        abandoned.spawn(async move {
            let _ = tokio::time::timeout(Duration::from_micros(i % 3 * 1000), api.get(url).send())
                .await;
        });
    }
    abandoned.join_all().await;

    // Act and assert: a thousand refreshes, fifty at a time, all answer 200.
    for batch in 0..20 {
        let mut requests = JoinSet::new();
        for _ in 0..50 {
            let request = app.api.get(&refresh_url);
            requests.spawn(async move { send(request).await.status() });
        }
        for status in requests.join_all().await {
            assert_eq!(status, 200, "batch {batch}");
        }
    }
}
