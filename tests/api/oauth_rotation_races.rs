//! Concurrent refreshes of one rotating token (`docs/protocol.md#rotating-refresh-tokens`):
//! exactly one wins the compare-and-swap; without a grace window the others are reuse, with one
//! they all get the winner's token. The JWT provider's `/refresh` and the realm's grant keep
//! to their own tokens.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::support::authorize::*;
use crate::support::oauth::{TOKEN_PATH, assert_oauth_error};
use crate::support::*;

const RACERS: usize = 50;

/// `RACERS` refreshes of `refresh` sent at once: each answer's status and JSON body.
async fn race(server: &TestApp, refresh: &str) -> Vec<(u16, Value)> {
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..RACERS {
        let mut pairs = vec![
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            ("refresh_token".to_owned(), refresh.to_owned()),
        ];
        for (name, value) in CONFIDENTIAL.credentials() {
            pairs.push((name.to_owned(), value.to_owned()));
        }
        let request = server.api.post(server.url(TOKEN_PATH)).form(&pairs);
        requests.spawn(async move {
            let response = send(request).await;
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.expect("JSON"))
        });
    }
    requests.join_all().await
}

#[tokio::test]
async fn of_fifty_concurrent_refreshes_one_wins_and_the_rest_revoke_the_chain() {
    let server = TestApp::spawn().await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;

    let answers = race(&server, &member(&login, "refresh_token")).await;

    let mut statuses = BTreeMap::new();
    for (status, _) in &answers {
        *statuses.entry(*status).or_insert(0) += 1;
    }
    assert_eq!(statuses, BTreeMap::from([(200, 1), (400, RACERS - 1)]));
    for (_, body) in answers.iter().filter(|(s, _)| *s == 400) {
        assert_eq!(body["error"], "invalid_grant", "{body}");
        let why = body["error_description"].as_str().unwrap();
        let known = [
            "Maximum allowed refresh token reuse exceeded",
            "Session not active",
        ];
        assert!(known.contains(&why), "{why}");
    }
    let (_, winner) = answers.iter().find(|(s, _)| *s == 200).unwrap();
    let after = refresh_grant(&server, CONFIDENTIAL, &member(winner, "refresh_token")).await;
    let why = "Session not active";
    assert_oauth_error(after, 400, "invalid_grant", why, "the winner's token").await;
    let chains = listed_tokens(&server, "").await;
    assert_eq!(
        (&chains[0]["rotations"], &chains[0]["revoked_reason"]),
        (&json!(1), &json!("reuse"))
    );
}

#[tokio::test]
async fn with_a_grace_window_fifty_concurrent_refreshes_all_get_the_same_next_token() {
    let server = Setup::default()
        .with_sections("[oauth]\nrefresh_reuse_grace = \"30s\"")
        .spawn()
        .await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;

    let answers = race(&server, &member(&login, "refresh_token")).await;

    let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, vec![200; RACERS], "{answers:?}");
    let refresh: BTreeSet<String> = answers
        .iter()
        .map(|(_, b)| member(b, "refresh_token"))
        .collect();
    assert_eq!(refresh.len(), 1, "one next token");
    let access: BTreeSet<String> = answers
        .iter()
        .map(|(_, b)| member(b, "access_token"))
        .collect();
    assert_eq!(access.len(), RACERS, "each its own access token");
    let next = refresh.into_iter().next().unwrap();
    assert_eq!(
        refresh_grant(&server, CONFIDENTIAL, &next).await.status(),
        200
    );
    let chains = listed_tokens(&server, "").await;
    assert_eq!(
        (&chains[0]["rotations"], &chains[0]["revoked_reason"]),
        (&json!(2), &Value::Null)
    );
}

#[tokio::test]
async fn the_jwt_providers_refresh_does_not_rotate_and_refuses_chain_tokens() {
    let server = TestApp::spawn().await;
    let provider_token = server.refresh_token().await;
    let chain_token = member(
        &log_in_for_tokens(&server, CONFIDENTIAL, "").await,
        "refresh_token",
    );

    let first = server.refresh_with(KEY_WITH_REFRESH, &provider_token).await;
    let second = server.refresh_with(KEY_WITH_REFRESH, &provider_token).await;
    let chain_at_provider = server.refresh_with(KEY_WITH_REFRESH, &chain_token).await;

    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200),
        "the same token twice"
    );
    let invalid = "invalid_grant: Unknown or invalid refresh token.";
    assert_text_400(chain_at_provider, invalid, "a chain token at /refresh").await;
    let still = refresh_grant(&server, CONFIDENTIAL, &chain_token).await;
    assert_eq!(still.status(), 200, "and the chain is untouched");
}

#[tokio::test]
async fn the_realms_refresh_grant_refuses_jwt_provider_tokens() {
    let server = TestApp::spawn().await;
    let provider_token = server.refresh_token().await;

    let at_realm = refresh_grant(&server, CONFIDENTIAL, &provider_token).await;

    let why = "Invalid refresh token";
    assert_oauth_error(at_realm, 400, "invalid_grant", why, "a JWT-provider token").await;
    let still = server.refresh_with(KEY_WITH_REFRESH, &provider_token).await;
    assert_eq!(still.status(), 200, "and it still works where it belongs");
}
