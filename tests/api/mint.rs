//! `docs/protocol.md#control-plane` (minting): `POST /_emulator/tokens` hands out tokens for any
//! configured user and key without a login, optionally with another lifetime, extra claims, or
//! already expired.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_token_is_minted_for_a_user_named_by_uid_or_by_nick() {
    let server = server("").await;
    for (user, case) in [(USER_UID, "by uid"), ("stiksels", "by nick")] {
        let minted = mint(&server, json!({"user": user, "api_key": KEY_WITH_REFRESH})).await;

        let jwt = minted["jwt"].as_str().expect("a jwt");
        let claims = Jwt::parse(jwt).claims();
        assert_eq!(
            (claims["uid"].as_str(), claims["nick"].as_str()),
            (Some(USER_UID), Some("stiksels")),
            "{case}"
        );
        assert_eq!(
            user_with(&server, jwt).await.status(),
            200,
            "{case}: the Entry API accepts it"
        );
    }
}

#[tokio::test]
async fn ttl_sets_the_lifetime_instead_of_the_configured_one() {
    let server = server("[token]\naccess_ttl = \"2h\"").await;
    let cases = [
        (json!({"user": "stiksels", "ttl": "5m"}), 300, "ttl 5m"),
        (
            json!({"user": "stiksels", "ttl": "1day"}),
            86400,
            "ttl 1day",
        ),
        (
            json!({"user": "stiksels"}),
            7200,
            "no ttl: token.access_ttl",
        ),
    ];
    for (body, lifetime, case) in cases {
        let minted = mint(&server, body).await;

        let claims = Jwt::parse(minted["jwt"].as_str().unwrap()).claims();
        let (iat, exp) = (
            claims["iat"].as_i64().unwrap(),
            claims["exp"].as_i64().unwrap(),
        );
        assert_eq!(exp - iat, lifetime, "{case}");
    }
}

#[tokio::test]
async fn extra_claims_come_last_and_overriding_claims_keep_their_place() {
    let server = server("").await;
    let body =
        json!({"user": "stiksels", "claims": {"role": "tester", "email": "other@example.com"}});

    let minted = mint(&server, body).await;

    let jwt = minted["jwt"].as_str().unwrap();
    let payload = Jwt::parse(jwt).payload;
    let expected = ["iss", "uid", "nick", "email", "iat", "exp", "nbf", "role"];
    assert_eq!(member_names(&payload), expected, "{payload}");
    let claims = Jwt::parse(jwt).claims();
    assert_eq!(claims["email"], "other@example.com");
    assert_eq!(claims["role"], "tester");
}

#[tokio::test]
async fn an_expired_token_is_refused_by_the_entry_api_as_expired() {
    let server = server("").await;

    let minted = mint(&server, json!({"user": "stiksels", "expired": true})).await;

    let response = user_with(&server, minted["jwt"].as_str().unwrap()).await;
    assert_problem(response, 401, EXPIRED, "minted expired").await;
}

/// Extra claims may set any `exp`: the largest one never expires. The expiry check overflowed on
/// it, a 500 at `/user`, userinfo and introspection (found while describing the realm for
/// `docs/reliability.md#schema-fuzzing`).
#[tokio::test]
async fn the_largest_exp_never_expires_instead_of_overflowing() {
    let server = server("").await;
    let far = json!({"exp": i64::MAX});

    let v1 = mint(&server, json!({"user": "stiksels", "claims": far})).await;
    let realm = mint(
        &server,
        json!({"user": "stiksels", "client": CLIENT_ID, "claims": far}),
    )
    .await;

    let response = user_with(&server, v1["jwt"].as_str().unwrap()).await;
    assert_eq!(response.status(), 200, "/user");
    let userinfo = server.url("/realms/uitid/protocol/openid-connect/userinfo");
    let bearer = realm["jwt"].as_str().unwrap();
    let response = send(server.api.get(userinfo).bearer_auth(bearer)).await;
    assert_eq!(response.status(), 200, "userinfo");
}

#[tokio::test]
async fn a_refresh_token_comes_only_with_a_key_that_may_refresh_and_it_works() {
    let server = server("").await;
    let cases = [
        (json!({"user": "stiksels"}), "no key"),
        (
            json!({"user": "stiksels", "api_key": KEY_WITHOUT_REFRESH}),
            "a key without refresh",
        ),
    ];
    for (body, case) in cases {
        let minted = mint(&server, body).await;

        assert!(minted["jwt"].is_string(), "{case}: a jwt");
        assert!(
            minted.get("refresh").is_none(),
            "{case}: no refresh member in {minted}"
        );
    }

    let minted = mint(
        &server,
        json!({"user": "stiksels", "api_key": KEY_WITH_REFRESH}),
    )
    .await;

    let refresh_token = minted["refresh"]
        .as_str()
        .expect("a refresh token for the refresh key");
    let refreshed = server.refresh_with(KEY_WITH_REFRESH, refresh_token).await;
    assert_eq!(
        refreshed.status(),
        200,
        "/refresh accepts the minted refresh token"
    );
    let jwt = refreshed.text().await.unwrap();
    assert_eq!(
        user_with(&server, &jwt).await.status(),
        200,
        "and its new token works"
    );
}

#[tokio::test]
async fn a_bad_mint_request_is_a_400_naming_the_field() {
    let server = server("").await;
    let cases = [
        (json!({"user": "nobody"}), Some("user"), "an unknown nick"),
        (
            json!({"user": "00000000-0000-0000-0000-000000000000"}),
            Some("user"),
            "an unknown uid",
        ),
        (
            json!({"user": "stiksels", "api_key": "nope"}),
            Some("api_key"),
            "an unknown key",
        ),
        (
            json!({"user": "stiksels", "ttl": "soon"}),
            Some("ttl"),
            "ttl that is not a duration",
        ),
        (
            json!({"user": "stiksels", "ttl": "0s"}),
            Some("ttl"),
            "a zero ttl",
        ),
        (
            json!({"user": "stiksels", "ttl": "-5m"}),
            Some("ttl"),
            "a negative ttl",
        ),
        (
            json!({"user": "stiksels", "ttl": "9223372036854775807s"}),
            Some("ttl"),
            "a ttl whose exp overflows (was a 500)",
        ),
        (
            json!({"user": "stiksels", "ttl": "300000000000y", "expired": true}),
            Some("ttl"),
            "a ttl beyond i64 seconds (exp wrapped into the past)",
        ),
        (
            json!({"user": "stiksels", "ttl": "10000y"}),
            Some("ttl"),
            "a token expiring after 9999",
        ),
        (json!({"nick": "stiksels"}), None, "an unknown member"),
        (
            json!({"user": "stiksels", "claims": ["role"]}),
            None,
            "claims that are not an object",
        ),
    ];
    for (body, field, case) in cases {
        let response = post(&server, "tokens", &body).await;

        assert_control_error(response, 400, field, case).await;
    }
}
