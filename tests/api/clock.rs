//! `docs/protocol.md#control-plane` (clock): `/_emulator/clock` reads, moves and resets the
//! emulator's clock, and issuing, refresh-token expiry and the Entry API check all follow it, so a
//! client's whole expire, refresh, retry loop runs in seconds.

use serde_json::{Value, json};

use crate::support::*;

async fn read_clock(server: &TestApp) -> Value {
    let response = send(client().get(server.url("/_emulator/clock"))).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// `now` is within a second of wall time plus `offset`, and `offset` is as expected.
fn assert_clock(state: &Value, offset: i64, case: &str) {
    assert_eq!(state["offset"], json!(offset), "{case}: {state}");
    let now = state["now"].as_i64().expect("now in unix seconds");
    let expected = unix_now() + offset;
    assert!(
        (expected - 1..=expected).contains(&now),
        "{case}: now {now}, expected ~{expected}"
    );
}

#[tokio::test]
async fn get_reads_the_clock_as_now_and_offset_in_seconds() {
    let server = server("").await;

    let state = read_clock(&server).await;

    assert_clock(&state, 0, "a fresh server");
}

#[tokio::test]
async fn post_sets_an_offset_advances_or_jumps_and_delete_resets() {
    let server = server("").await;
    let at = unix_now() + 7 * 86400;
    let steps = [
        (json!({"offset": "-1h"}), -3600, "offset -1h"),
        (
            json!({"advance": "13h"}),
            12 * 3600,
            "advance 13h adds to the offset",
        ),
        (
            json!({"advance": -60}),
            12 * 3600 - 60,
            "advance by a number of seconds",
        ),
        (
            json!({"offset": "+2m"}),
            120,
            "an offset replaces the previous one",
        ),
    ];
    for (body, offset, case) in steps {
        let answer = set_clock(&server, body).await;

        assert_clock(&answer, offset, case);
        assert_clock(&read_clock(&server).await, offset, case);
    }

    let jumped = set_clock(&server, json!({"at": at})).await;
    let now = jumped["now"].as_i64().unwrap();
    assert!((at..=at + 1).contains(&now), "at: now {now}, expected {at}");
    assert_clock(&jumped, jumped["offset"].as_i64().unwrap(), "at");

    let reset = send(client().delete(server.url("/_emulator/clock"))).await;
    assert_eq!(reset.status(), 200);
    assert_clock(&reset.json().await.unwrap(), 0, "DELETE");
}

#[tokio::test]
async fn a_clock_outside_the_years_1970_to_9999_is_a_400_not_an_overflow() {
    let server = server("").await;
    // 9999-12-31T23:59:59Z is the last second the clock may read.
    let last = 253_402_300_799_i64;
    let cases = [
        (
            json!({"at": -9_223_372_036_854_775_807_i64}),
            "at",
            "found by schema fuzzing",
        ),
        (json!({"at": -1}), "at", "before 1970"),
        (json!({"at": last + 1}), "at", "after 9999"),
        (json!({"advance": i64::MAX}), "advance", "advance overflows"),
        (
            json!({"advance": -unix_now() - 1}),
            "advance",
            "advance before 1970",
        ),
        (json!({"offset": i64::MAX}), "offset", "offset overflows"),
        (json!({"offset": "-100y"}), "offset", "offset before 1970"),
    ];
    for (body, field, case) in cases {
        let response = post(&server, "clock", &body).await;

        assert_control_error(response, 400, Some(field), case).await;
        assert_clock(&read_clock(&server).await, 0, case);
    }
    let edge = set_clock(&server, json!({"at": last, "frozen": true})).await;
    assert_eq!(
        edge["now"],
        json!(last),
        "the last second itself is allowed"
    );
}

#[tokio::test]
async fn a_bad_clock_change_is_a_400_naming_the_problem_and_leaves_the_clock_alone() {
    let server = server("").await;
    let cases: [(&str, Option<&str>, &str); 7] = [
        ("not json", None, "a body that is not JSON"),
        ("{}", Some("advance"), "no change at all"),
        (
            r#"{"advance":"1h","offset":"1h"}"#,
            Some("advance"),
            "two changes",
        ),
        (
            r#"{"advance":"soon"}"#,
            Some("advance"),
            "advance that is not a duration",
        ),
        (
            r#"{"offset":"-x"}"#,
            Some("offset"),
            "offset that is not a duration",
        ),
        (r#"{"at":"tomorrow"}"#, None, "at that is not a number"),
        (r#"{"later":"1h"}"#, None, "an unknown member"),
    ];
    for (body, field, case) in cases {
        let request = client().post(server.url("/_emulator/clock"));
        let response = send(
            request
                .header("content-type", "application/json")
                .body(body),
        )
        .await;

        assert_control_error(response, 400, field, case).await;
        assert_clock(&read_clock(&server).await, 0, case);
    }
}

#[tokio::test]
async fn a_client_sees_its_token_expire_refreshes_and_its_retry_succeeds() {
    let server = server("").await;
    let (jwt, refresh_token) = connect(&server).await;
    assert_eq!(user_with(&server, &jwt).await.status(), 200, "fresh token");

    set_clock(&server, json!({"advance": "13h"})).await;
    let expired = user_with(&server, &jwt).await;
    assert_problem(expired, 401, EXPIRED, "13 h later").await;

    let refreshed = server.refresh_with(KEY_WITH_REFRESH, &refresh_token).await;
    assert_eq!(refreshed.status(), 200, "refresh");
    let new_jwt = refreshed.text().await.unwrap();
    let retry = user_with(&server, &new_jwt).await;
    assert_eq!(retry.status(), 200, "the retry with the new token");
    let exp = Jwt::parse(&new_jwt).claims()["exp"].as_i64().unwrap();
    assert!(
        exp > server.now(),
        "the new token is issued on the emulator's clock"
    );
}

#[tokio::test]
async fn tokens_are_issued_at_the_emulator_clocks_time() {
    let server = server("").await;
    set_clock(&server, json!({"offset": "-1h"})).await;

    let token = jwt(&server, "stiksels").await;

    let iat = Jwt::parse(&token).claims()["iat"].as_i64().unwrap();
    let expected = unix_now() - 3600;
    assert!(
        (expected - 1..=expected).contains(&iat),
        "iat {iat}, expected ~{expected}"
    );
}

#[tokio::test]
async fn refresh_tokens_expire_on_the_emulator_clock() {
    let server = server("[token]\nrefresh_ttl = \"14d\"").await;
    let (_, refresh_token) = connect(&server).await;

    set_clock(&server, json!({"advance": "13d"})).await;
    assert_eq!(
        server
            .refresh_with(KEY_WITH_REFRESH, &refresh_token)
            .await
            .status(),
        200,
        "13 days later"
    );

    set_clock(&server, json!({"advance": "2d"})).await;
    let late = server.refresh_with(KEY_WITH_REFRESH, &refresh_token).await;
    assert_eq!(late.status(), 400, "15 days later");
    let body = late.text().await.unwrap();
    assert!(body.contains("invalid_grant"), "15 days later: {body}");
}
