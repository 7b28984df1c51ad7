//! `docs/reliability.md#concurrency`: one refresh token used by many requests at once.

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_refreshes_with_one_token_all_answer_200_with_valid_tokens() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    let public_key = key_from_pem(&app.public_pem().await);
    let url = format!(
        "{}/refresh?{}",
        app.address,
        form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", &refresh)])
    );

    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let request = app.api.get(&url);
        requests.spawn(async move {
            let response = send(request).await;
            (response.status(), text(response).await)
        });
    }
    let answers = requests.join_all().await;

    assert_eq!(answers.len(), 50);
    for (status, body) in answers {
        assert_eq!(status, 200, "{body}");
        assert!(Jwt::parse(&body).verifies_with(&public_key));
    }
}
