//! `docs/reliability.md#hostile-input`: duplicate parameters, broken percent-encoding and
//! SQL-looking values are client errors: never a redirect, never a refresh, never a 500.

use crate::support::*;

#[tokio::test]
async fn a_parameter_given_twice_is_a_400_that_never_redirects_or_refreshes() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    let key = format!("apiKey={KEY_WITH_REFRESH}");
    let dest = form_query(&[("destination", APP_CALLBACK)]);
    let token = format!("refresh={refresh}");
    let cases = [
        format!("/connect?{key}&{dest}&{dest}"),
        format!("/connect?{key}&{key}&{dest}"),
        format!("/connect?{key}&{dest}&lang=fr&lang=de"),
        format!("/culturefeed/oauth/connect?{key}&{dest}&{dest}"),
        format!("/refresh?{key}&{token}&{token}"),
        format!("/refresh?{key}&{key}&{token}"),
        format!("/refresh?{key}&{token}&refresh="),
        format!("/refresh?{key}&{token}&%72efresh={refresh}"),
        format!("/connect?{key}&{dest}&dest%69nation=oob"),
        format!("/logout?{dest}&{dest}"),
        "/login?flow=a&flow=a".to_owned(),
    ];
    for path in cases {
        let response = app.browser().get(&path).await;

        assert_eq!(response.status(), 400, "{path}");
        assert!(
            header(&response, "location").is_none(),
            "{path}: no redirect"
        );
        assert!(!text(response).await.starts_with("eyJ"), "{path}: no JWT");
    }
}

#[tokio::test]
async fn invalid_percent_encoding_is_a_4xx_and_never_a_500() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    // (where the bad value goes, whether the request would succeed without it)
    let templates = [
        ("/refresh?apiKey=test-key-with-refresh&refresh={}", true),
        ("/refresh?apiKey={}&refresh=abc", true),
        (
            "/connect?apiKey=test-key-with-refresh&destination=https://app.test/cb{}",
            true,
        ),
        ("/login?flow={}", true),
        ("/connect?apiKey={}&destination=oob", false),
        ("/connect?destination=oob&lang={}", false),
        ("/logout?destination=http://localhost/{}", false),
        ("/oob?jwt={}", false),
    ];
    for bad in ["%FF%FE", "%C0%AF", "%", "%00", "%E2%82", "%zz"] {
        for (template, refused) in templates {
            let path = template.replace("{}", bad);

            let response = app.browser().get(&path).await;

            let status = response.status();
            assert!(status.as_u16() < 500, "{path}: never a 5xx, got {status}");
            if refused {
                assert!(status.is_client_error(), "{path}: a 4xx, got {status}");
                assert!(
                    header(&response, "location").is_none(),
                    "{path}: no redirect"
                );
            }
        }
    }
    let after = app.refresh_with(KEY_WITH_REFRESH, &refresh).await;
    assert_eq!(after.status(), 200, "the server still works");
    let health = [
        app.get("/health/live").await,
        app.get("/health/ready").await,
    ];
    assert_eq!(health.map(|r| r.status()), [200, 200], "and is healthy");
}

#[tokio::test]
async fn an_x_api_key_header_that_is_not_text_is_a_400_with_an_empty_body() {
    let app = TestApp::spawn().await;
    let value = reqwest::header::HeaderValue::from_bytes(b"\xff\xfe").expect("obs-text is allowed");
    let url = format!("{}/refresh?refresh=abc", app.address);

    let response = send(app.api.get(url).header("X-Api-Key", value)).await;

    assert_empty_400(response, "a non-UTF-8 key").await;
}

#[tokio::test]
async fn sql_looking_values_are_ordinary_unknown_values() {
    let app = TestApp::spawn().await;
    let sql = [
        "' OR '1'='1",
        "x'; DROP TABLE refresh_tokens; --",
        "\" OR 1=1 --",
    ];
    for value in sql {
        let with_bad_key = app
            .refresh(&form_query(&[("apiKey", value), ("refresh", value)]))
            .await;
        let with_bad_token = app.refresh_with(KEY_WITH_REFRESH, value).await;
        let with_bad_flow = app
            .get(&format!("/login?{}", form_query(&[("flow", value)])))
            .await;

        assert_empty_400(with_bad_key, value).await;
        assert_eq!(with_bad_token.status(), 400, "{value}");
        assert!(
            text(with_bad_token).await.contains("invalid_grant"),
            "{value}"
        );
        assert_eq!(with_bad_flow.status(), 400, "{value}");
        assert!(
            !text(with_bad_flow).await.to_lowercase().contains("sql"),
            "{value}"
        );
    }
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, tokens.refresh())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_header_given_twice_is_refused_like_a_parameter_given_twice() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    let minted = mint(&app, serde_json::json!({"user": USER_NICK})).await;
    let bearer = format!("Bearer {}", minted["jwt"].as_str().unwrap());
    let refresh_url = app.url(&format!(
        "/refresh?{}",
        form_query(&[("refresh", &refresh)])
    ));
    for keys in [[KEY_WITH_REFRESH, KEY_WITH_REFRESH], ["", KEY_WITH_REFRESH]] {
        let request = app.api.get(&refresh_url);
        let request = keys.iter().fold(request, |r, k| r.header("x-api-key", *k));
        let response = send(request).await;
        assert_eq!(response.status(), 400, "{keys:?}");
        assert_eq!(
            text(response).await,
            r#"Header "X-Api-Key" is given more than once."#
        );
    }

    let twice = app
        .api
        .get(app.url("/user"))
        .header("x-api-key", KEY_WITH_REFRESH)
        .header("authorization", &bearer)
        .header("authorization", "Bearer forged");
    let detail = "Authorization header is given more than once.";
    assert_problem(send(twice).await, 401, detail, "two Authorization headers").await;
    let once = user(&app, Some(&bearer), Key::Header(KEY_WITH_REFRESH)).await;
    assert_eq!(once.status(), 200, "one of each is served");
}
