//! `docs/protocol.md#refresh`: `GET /refresh`, its checks in upstream's order, and the bare-JWT
//! answer.

use crate::support::*;

#[tokio::test]
async fn refresh_without_a_permitted_api_key_is_a_400_with_an_empty_body() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    let cases = [
        (form_query(&[("refresh", &refresh)]), "no key"),
        (
            form_query(&[("apiKey", ""), ("refresh", &refresh)]),
            "an empty key",
        ),
        (
            form_query(&[("apiKey", "no-such-key"), ("refresh", &refresh)]),
            "an unknown key",
        ),
        (
            form_query(&[("apiKey", KEY_WITHOUT_REFRESH), ("refresh", &refresh)]),
            "a key without refresh",
        ),
        (
            form_query(&[("apiKey", KEY_WITHOUT_REFRESH)]),
            "the key is checked before the token",
        ),
        (
            form_query(&[("apiKey", "no-such-key"), ("refresh", "x")]),
            "before an unknown token too",
        ),
    ];
    for (query, case) in cases {
        assert_empty_400(app.refresh(&query).await, case).await;
    }
}

#[tokio::test]
async fn refresh_without_a_refresh_token_is_a_400_missing_refresh_token() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            form_query(&[("apiKey", KEY_WITH_REFRESH)]),
            "no refresh parameter",
        ),
        (
            form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", "")]),
            "an empty refresh parameter",
        ),
    ];
    for (query, case) in cases {
        assert_text_400(app.refresh(&query).await, "Missing refresh token", case).await;
    }
}

#[tokio::test]
async fn an_unknown_or_foreign_refresh_token_is_a_400_with_invalid_grant() {
    let app = TestApp::spawn().await;
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    let refresh = tokens.refresh();
    let last = if refresh.ends_with('A') { "E" } else { "A" };
    let altered = format!("{}{last}", &refresh[..refresh.len() - 1]);
    let cases = [
        (
            KEY_WITH_REFRESH,
            "c29tZXRoaW5nLXVua25vd24",
            "an unknown token",
        ),
        (
            KEY_WITH_REFRESH,
            altered.as_str(),
            "a token with its last character changed",
        ),
        (
            KEY_WITH_REFRESH,
            tokens.jwt.as_str(),
            "an access token passed as refresh",
        ),
        (
            OTHER_KEY_WITH_REFRESH,
            refresh,
            "a token issued to another API key",
        ),
        (
            KEY_FOR_ANYWHERE,
            refresh,
            "a token issued to another API key that allows anything",
        ),
    ];
    for (key, presented, case) in cases {
        let response = app.refresh_with(key, presented).await;

        assert_eq!(response.status(), 400, "{case}");
        assert_not_cached(&response);
        let content_type = header(&response, "content-type");
        assert_eq!(content_type, Some("text/plain; charset=utf-8"), "{case}");
        let body = text(response).await;
        assert!(body.contains("invalid_grant"), "{case}: {body}");
    }

    let own_key = app.refresh_with(KEY_WITH_REFRESH, refresh).await;

    assert_eq!(
        own_key.status(),
        200,
        "the token still works with its own key"
    );
}

#[tokio::test]
async fn refresh_answers_200_with_the_bare_jwt_as_plain_text_and_keeps_the_token() {
    let app = TestApp::spawn().await;
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    let public_key = key_from_pem(&app.public_pem().await);

    for attempt in ["first", "second"] {
        let response = app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await;

        assert_eq!(
            response.status(),
            200,
            "{attempt} refresh: tokens are not rotated"
        );
        assert_eq!(
            header(&response, "content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_not_cached(&response);
        let body = text(response).await;
        let is_jwt_char = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
        assert!(
            body.chars().all(is_jwt_char),
            "{attempt}: no JSON, quotes or newline: {body:?}"
        );
        let jwt = Jwt::parse(&body);
        assert!(
            jwt.verifies_with(&public_key),
            "{attempt}: the new token verifies"
        );
        assert_eq!(jwt.claims()["uid"], USER_UID);
    }
}

#[tokio::test]
async fn the_refresh_key_may_come_from_x_api_key_but_the_query_parameter_wins() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    let cases = [
        (
            form_query(&[("refresh", &refresh)]),
            200,
            "the header key alone",
        ),
        (
            form_query(&[("apiKey", KEY_WITHOUT_REFRESH), ("refresh", &refresh)]),
            400,
            "a query key without refresh",
        ),
        (
            form_query(&[("apiKey", "no-such-key"), ("refresh", &refresh)]),
            400,
            "an unknown query key",
        ),
    ];
    for (query, status, case) in cases {
        let url = format!("{}/refresh?{query}", app.address);

        let response = send(app.api.get(url).header("X-Api-Key", KEY_WITH_REFRESH)).await;

        assert_eq!(response.status(), status, "{case}");
    }
}
