//! Rotating refresh tokens (`docs/protocol.md#rotating-refresh-tokens`): every refresh gives a
//! new token and kills the used one; a used one presented again revokes the whole chain unless
//! it comes within `[oauth] refresh_reuse_grace`; the chain ends `refresh_max_age` after the
//! login, following the emulator clock.

use serde_json::{Value, json};

use crate::support::authorize::*;
use crate::support::jwt::Jwt;
use crate::support::oauth::{TOKEN_PATH, assert_oauth_error, post_form};
use crate::support::*;

const REUSED: &str = "Maximum allowed refresh token reuse exceeded";
const FOURTEEN_DAYS: i64 = 14 * 86_400;

#[tokio::test]
async fn each_refresh_gives_a_new_token_of_the_same_session_and_the_old_one_dies() {
    let server = TestApp::spawn().await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let first = member(&login, "refresh_token");

    let second = refreshed(&server, CONFIDENTIAL, &first).await;
    let third = refreshed(&server, CONFIDENTIAL, &member(&second, "refresh_token")).await;

    let tokens = [&login, &second, &third].map(|a| member(a, "refresh_token"));
    assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2] && tokens[0] != tokens[2]);
    for answer in [&second, &third] {
        assert_eq!(answer["session_state"], login["session_state"]);
        assert_eq!(answer["scope"], "openid profile email");
        let claims = Jwt::parse(&member(answer, "access_token")).claims();
        assert_eq!(claims["sid"], login["session_state"]);
        assert!(
            answer.get("id_token").is_some(),
            "openid keeps its id_token"
        );
    }
    let chains = listed_tokens(&server, "").await;
    assert_eq!(chains.len(), 1, "one chain: {chains:?}");
    assert_eq!(chains[0]["rotations"], 2);
    assert_eq!(chains[0]["client"], CLIENT_ID);
    assert_eq!(chains[0]["user"], USER_UID);
    assert_eq!(chains[0]["api_key"], Value::Null);
    assert_eq!(chains[0]["revoked_reason"], Value::Null);
    assert!(chains[0]["last_used_at"].is_i64());
}

#[tokio::test]
async fn reusing_a_rotated_token_revokes_the_whole_chain() {
    let server = TestApp::spawn().await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let old = member(&login, "refresh_token");
    let newest = member(
        &refreshed(&server, CONFIDENTIAL, &old).await,
        "refresh_token",
    );

    let reused = refresh_grant(&server, CONFIDENTIAL, &old).await;
    let after = refresh_grant(&server, CONFIDENTIAL, &newest).await;
    let again = refresh_grant(&server, CONFIDENTIAL, &old).await;

    assert_oauth_error(reused, 400, "invalid_grant", REUSED, "the reuse").await;
    assert_oauth_error(after, 400, "invalid_grant", "Session not active", "newest").await;
    assert_oauth_error(again, 400, "invalid_grant", "Session not active", "again").await;
    let chains = listed_tokens(&server, "").await;
    assert_eq!(chains[0]["revoked_reason"], "reuse");
}

#[tokio::test]
async fn refresh_expires_in_counts_down_to_the_chains_end_and_the_chain_dies_then() {
    let server = TestApp::spawn().await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let at_login = login["refresh_expires_in"].as_i64().unwrap();

    set_clock(&server, json!({"advance": "1d"})).await;
    let a_day_later = refreshed(&server, CONFIDENTIAL, &member(&login, "refresh_token")).await;
    set_clock(&server, json!({"advance": "12d"})).await;
    let later = refreshed(
        &server,
        CONFIDENTIAL,
        &member(&a_day_later, "refresh_token"),
    )
    .await;
    set_clock(&server, json!({"advance": "1d"})).await;
    let dead = refresh_grant(&server, CONFIDENTIAL, &member(&later, "refresh_token")).await;

    assert!(
        (FOURTEEN_DAYS - 5..=FOURTEEN_DAYS).contains(&at_login),
        "{at_login}"
    );
    let left = a_day_later["refresh_expires_in"].as_i64().unwrap();
    assert!(
        (at_login - 86_400 - 5..=at_login - 86_400).contains(&left),
        "{left}"
    );
    let left = later["refresh_expires_in"].as_i64().unwrap();
    assert!(
        (at_login - 13 * 86_400 - 5..=at_login - 13 * 86_400).contains(&left),
        "{left}"
    );
    assert_eq!(
        later["expires_in"], 86_400,
        "access tokens keep their lifetime"
    );
    assert_oauth_error(dead, 400, "invalid_grant", "Token is not active", "14 days").await;
}

#[tokio::test]
async fn refresh_max_age_is_configurable() {
    let server = Setup::default()
        .with_sections("[oauth]\nrefresh_max_age = \"1h\"")
        .spawn()
        .await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;

    set_clock(&server, json!({"advance": "61m"})).await;
    let dead = refresh_grant(&server, CONFIDENTIAL, &member(&login, "refresh_token")).await;

    let left = login["refresh_expires_in"].as_i64().unwrap();
    assert!((3_595..=3_600).contains(&left), "{left}");
    assert_oauth_error(
        dead,
        400,
        "invalid_grant",
        "Token is not active",
        "after 1 h",
    )
    .await;
}

#[tokio::test]
async fn within_the_grace_window_a_reuse_gets_the_same_next_token_and_after_it_revokes() {
    let server = Setup::default()
        .with_sections("[oauth]\nrefresh_reuse_grace = \"30s\"")
        .spawn()
        .await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let old = member(&login, "refresh_token");
    let next = refreshed(&server, CONFIDENTIAL, &old).await;

    let retry = refreshed(&server, CONFIDENTIAL, &old).await;

    assert_eq!(
        retry["refresh_token"], next["refresh_token"],
        "the same next token"
    );
    assert_ne!(
        retry["access_token"], next["access_token"],
        "a new access token"
    );
    assert_eq!(listed_tokens(&server, "").await[0]["rotations"], 1);
    set_clock(&server, json!({"advance": "31s"})).await;
    let late = refresh_grant(&server, CONFIDENTIAL, &old).await;
    assert_oauth_error(late, 400, "invalid_grant", REUSED, "after 31 s").await;
    let newest = refresh_grant(&server, CONFIDENTIAL, &member(&next, "refresh_token")).await;
    assert_oauth_error(newest, 400, "invalid_grant", "Session not active", "chain").await;
}

#[tokio::test]
async fn within_the_grace_window_a_token_two_rotations_old_still_revokes() {
    let server = Setup::default()
        .with_sections("[oauth]\nrefresh_reuse_grace = \"30s\"")
        .spawn()
        .await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let first = member(&login, "refresh_token");
    let second = member(
        &refreshed(&server, CONFIDENTIAL, &first).await,
        "refresh_token",
    );
    let third = member(
        &refreshed(&server, CONFIDENTIAL, &second).await,
        "refresh_token",
    );

    // What `first` was rotated to is no longer current: its answer cannot be repeated.
    let stale = refresh_grant(&server, CONFIDENTIAL, &first).await;

    assert_oauth_error(stale, 400, "invalid_grant", REUSED, "two rotations old").await;
    let current = refresh_grant(&server, CONFIDENTIAL, &third).await;
    assert_oauth_error(current, 400, "invalid_grant", "Session not active", "chain").await;
}

#[tokio::test]
async fn a_refresh_may_narrow_the_scope_but_not_widen_it() {
    let server = TestApp::spawn().await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let refresh = member(&login, "refresh_token");
    let mut pairs = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
        ("scope", "openid offline_access"),
    ];
    pairs.extend(CONFIDENTIAL.credentials());

    let wider = post_form(&server, TOKEN_PATH, &pairs).await;
    let still = refresh_grant(&server, CONFIDENTIAL, &refresh).await;

    let why = "Invalid scopes: openid offline_access";
    assert_oauth_error(
        wider,
        400,
        "invalid_scope",
        why,
        "offline_access not granted",
    )
    .await;
    assert_eq!(
        still.status(),
        200,
        "a refused scope leaves the token alive"
    );
}
