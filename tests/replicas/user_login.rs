//! User login on the OAuth2 realm across replicas (`docs/reliability.md#replicas`,
//! `docs/protocol.md#rotating-refresh-tokens`): a code issued on A is exchanged on B and its
//! chain refreshed on C; a reuse on A, or a code replayed on another replica, revokes the chain
//! for all three; concurrent refreshes spread over the three have exactly one winner.

use std::collections::BTreeMap;

use reqwest::Response;
use serde_json::Value;

use crate::backend::Backend;
use crate::replicas::*;
use crate::support::authorize::*;
use crate::support::oauth::TOKEN_PATH;
use crate::support::*;

/// A token request of the confidential client on `replica`.
async fn token(replicas: &Replicas, replica: usize, pairs: &[(&str, &str)]) -> Response {
    let mut pairs = pairs.to_vec();
    pairs.extend(CONFIDENTIAL.credentials());
    let url = replicas.url(replica, TOKEN_PATH);
    send(replicas.api.post(url).form(&pairs)).await
}

async fn refresh_on(replicas: &Replicas, replica: usize, refresh: &str) -> Response {
    let pairs = [("grant_type", "refresh_token"), ("refresh_token", refresh)];
    token(replicas, replica, &pairs).await
}

/// The description of an `invalid_grant` answer.
async fn refused(response: Response, case: &str) -> String {
    assert_eq!(response.status(), 400, "{case}");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_grant", "{case}");
    member(&body, "error_description")
}

/// The form login on A for the confidential client: the code and its verifier.
async fn code_on_a(replicas: &Replicas) -> (String, Pkce) {
    let pkce = Pkce::new();
    let query = authorize_query(CONFIDENTIAL, &pkce, &[]);
    let response = replicas.browser(A).authorize_through_form(&query).await;
    assert_eq!(response.status(), 303, "the form login on A");
    (Callback::from(&response).code().to_owned(), pkce)
}

async fn exchange_on(replicas: &Replicas, replica: usize, code: &str, pkce: &Pkce) -> Response {
    let pairs = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", APP_CALLBACK),
        ("code_verifier", pkce.verifier.as_str()),
    ];
    token(replicas, replica, &pairs).await
}

on_both_backends!(
    code_on_a_exchanged_on_b_refreshed_on_c_reused_on_a:
        sqlite_code_on_a_exchanged_on_b_refreshed_on_c_reused_on_a,
        postgres_code_on_a_exchanged_on_b_refreshed_on_c_reused_on_a
);

async fn code_on_a_exchanged_on_b_refreshed_on_c_reused_on_a(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let (code, pkce) = code_on_a(&replicas).await;

    let exchanged = exchange_on(&replicas, B, &code, &pkce).await;
    assert_eq!(exchanged.status(), 200, "B exchanges A's code");
    let first = member(&exchanged.json().await.unwrap(), "refresh_token");
    let rotated = refresh_on(&replicas, C, &first).await;
    assert_eq!(rotated.status(), 200, "C refreshes the chain B made");
    let second: Value = rotated.json().await.unwrap();
    let second = member(&second, "refresh_token");

    let reused = refresh_on(&replicas, A, &first).await;
    let reason = "Maximum allowed refresh token reuse exceeded";
    assert_eq!(refused(reused, "the reuse on A").await, reason);
    for replica in [A, B, C] {
        let after = refresh_on(&replicas, replica, &second).await;
        let case = format!("the newest token on {replica}");
        assert_eq!(refused(after, &case).await, "Session not active", "{case}");
    }
    let listed = replicas.get(B, "/_emulator/refresh-tokens").await;
    let listed: Value = listed.json().await.unwrap();
    let chain = &listed["refresh_tokens"][0];
    assert_eq!(
        (&chain["rotations"], &chain["revoked_reason"]),
        (&1.into(), &"reuse".into())
    );
}

on_both_backends!(
    a_code_replayed_on_another_replica_revokes_the_chain:
        sqlite_a_code_replayed_on_another_replica_revokes_the_chain,
        postgres_a_code_replayed_on_another_replica_revokes_the_chain
);

async fn a_code_replayed_on_another_replica_revokes_the_chain(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let (code, pkce) = code_on_a(&replicas).await;
    let exchanged = exchange_on(&replicas, A, &code, &pkce).await;
    let refresh = member(&exchanged.json().await.unwrap(), "refresh_token");

    let replayed = exchange_on(&replicas, B, &code, &pkce).await;

    assert_eq!(refused(replayed, "the replay on B").await, "Code not valid");
    let after = refresh_on(&replicas, C, &refresh).await;
    assert_eq!(refused(after, "on C").await, "Session not active");
}

on_both_backends!(
    concurrent_refreshes_over_three_replicas_have_one_winner:
        sqlite_concurrent_refreshes_over_three_replicas_have_one_winner,
        postgres_concurrent_refreshes_over_three_replicas_have_one_winner
);

async fn concurrent_refreshes_over_three_replicas_have_one_winner(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let (code, pkce) = code_on_a(&replicas).await;
    let exchanged = exchange_on(&replicas, A, &code, &pkce).await;
    let refresh = member(&exchanged.json().await.unwrap(), "refresh_token");

    let requests = (0..30).map(|i| refresh_on(&replicas, i % 3, &refresh));
    let answers = futures_util::future::join_all(requests).await;

    let mut statuses = BTreeMap::new();
    for answer in &answers {
        *statuses.entry(answer.status().as_u16()).or_insert(0) += 1;
    }
    assert_eq!(statuses, BTreeMap::from([(200, 1), (400, 29)]));
}
