//! `docs/protocol.md#entry-api-gateway`: without a gateway unknown paths stay a plain 404; a
//! gateway without an upstream answers accepted requests 404 problem+json; an upstream that
//! refuses, hangs up or is too slow is a 502 problem+json naming no internals.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::gateway::gateway;
use crate::support::*;

/// A 502 problem with `detail`.
async fn assert_bad_gateway(response: reqwest::Response, detail: &str, case: &str) {
    assert_eq!(response.status(), 502, "{case}");
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json"),
        "{case}"
    );
    let body: Value = response.json().await.unwrap();
    let expected = json!({"type": "urn:uitid-emulator:problem:bad-gateway", "title": "Bad Gateway",
        "status": 502, "detail": detail});
    assert_eq!(body, expected, "{case}");
}

#[tokio::test]
async fn without_a_gateway_an_unknown_path_is_the_plain_404_even_with_a_valid_token() {
    let app = server("").await;
    let token = signed(&app, &user_claims(&app, USER_UID, "entry"));

    let response = send(app.api.post(app.url("/events")).bearer_auth(&token)).await;

    assert_eq!(response.status(), 404);
    assert_eq!(text(response).await, "Not found.");
}

#[tokio::test]
async fn a_gateway_without_an_upstream_answers_accepted_requests_with_a_404_problem() {
    let app = server("[entry_api]\ngateway = true").await;
    let token = signed(&app, &user_claims(&app, USER_UID, "entry"));

    let accepted = send(app.api.post(app.url("/events")).bearer_auth(&token)).await;
    let public = send(app.api.get(app.url("/events/e-1"))).await;
    let refused = send(app.api.post(app.url("/events"))).await;

    for response in [accepted, public] {
        assert_eq!(response.status(), 404);
        assert_eq!(
            header(&response, "content-type"),
            Some("application/problem+json")
        );
        let body: Value = response.json().await.unwrap();
        let expected = json!({"type": "https://api.publiq.be/probs/url/not-found",
            "title": "Not Found", "status": 404,
            "detail": "The emulator's Entry API gateway has no upstream to pass this request to."});
        assert_eq!(body, expected);
    }
    assert_problem(
        refused,
        401,
        "Authorization header missing.",
        "still authenticated",
    )
    .await;
}

#[tokio::test]
async fn an_upstream_that_refuses_hangs_up_or_is_too_slow_is_a_502() {
    let cases = [
        (
            Stub::refusing().await,
            "The Entry API upstream could not be reached.",
            "refused",
        ),
        (
            Stub::closing().await,
            "The Entry API upstream gave no valid answer.",
            "hung up",
        ),
        (
            Stub::hanging().await,
            "The Entry API upstream did not answer in time.",
            "too slow",
        ),
    ];
    for (upstream, detail, case) in cases {
        let app = gateway(&upstream).await;
        let token = signed(&app, &client_claims(&app, "entry"));
        let started = Instant::now();

        let response = send(
            app.api
                .get(app.url("/events/e-1/x?secret=1"))
                .bearer_auth(&token),
        )
        .await;

        assert_bad_gateway(response, detail, case).await;
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{case}: {:?}",
            started.elapsed()
        );
    }
}
