//! `docs/protocol.md#connect`: `GET /connect` (and the legacy `/culturefeed/oauth/connect`).

use crate::support::*;

#[tokio::test]
async fn connect_without_a_destination_is_a_400_with_upstreams_text_and_no_cookie() {
    let app = TestApp::spawn().await;
    let cases = [
        ("/connect", "no parameters"),
        ("/connect?destination=", "an empty destination"),
        (
            "/connect?apiKey=test-key-with-refresh",
            "a key but no destination",
        ),
        ("/culturefeed/oauth/connect?lang=fr", "the legacy route"),
    ];
    for (path, case) in cases {
        let response = app.get(path).await;
        assert!(
            header(&response, "set-cookie").is_none(),
            "{case}: no cookie"
        );
        assert_text_400(response, MISSING_DESTINATION, case).await;
    }
}

#[tokio::test]
async fn connect_with_an_allowed_destination_is_a_302_to_its_own_login_page() {
    let app = TestApp::spawn().await;
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", APP_CALLBACK)]);

    let first = app.browser().connect(&query).await;
    let second = app.browser().connect(&query).await;

    assert_eq!(first.status(), 302);
    assert_not_cached(&first);
    let (first, second) = (location(&first), location(&second));
    assert!(first.starts_with("/login?flow="), "{first}");
    assert_ne!(first, second, "every /connect starts its own flow");
}

#[tokio::test]
async fn connect_gives_a_new_browser_an_http_only_same_site_lax_cookie() {
    let app = TestApp::spawn().await;

    let response = app.browser().connect("destination=oob").await;

    let cookie = header(&response, "set-cookie").expect("a browser cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
}

#[tokio::test]
async fn the_legacy_culturefeed_route_redirects_like_connect() {
    let app = TestApp::spawn().await;
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", APP_CALLBACK)]);

    let response = app
        .get(&format!("/culturefeed/oauth/connect?{query}"))
        .await;

    assert_eq!(response.status(), 302);
    assert!(location(&response).starts_with("/login?flow="));
}

#[tokio::test]
async fn lang_nl_fr_and_de_are_kept_and_anything_else_becomes_nl() {
    let app = TestApp::spawn().await;
    let cases = [
        ("nl", "nl"),
        ("fr", "fr"),
        ("de", "de"),
        ("en", "nl"),
        ("FR", "nl"),
        ("", "nl"),
    ];
    for (lang, shown) in cases {
        let browser = app.browser();

        let form = browser
            .open_form(&form_query(&[("destination", "oob"), ("lang", lang)]))
            .await;

        let expected = format!(r#"<html lang="{shown}">"#);
        assert!(
            form.html.contains(&expected),
            "lang={lang:?} shows the {shown} page"
        );
    }
}

#[tokio::test]
async fn without_a_known_api_key_only_loopback_and_oob_destinations_are_allowed() {
    let app = TestApp::spawn().await;
    let cases = [
        (None, APP_CALLBACK, 400, "no key: not a loopback URL"),
        (
            Some("no-such-key"),
            APP_CALLBACK,
            400,
            "an unknown key: not a loopback URL",
        ),
        (None, "http://localhost:5173/cb", 302, "no key: loopback"),
        (
            Some("no-such-key"),
            "http://127.0.0.1:49152/cb",
            302,
            "an unknown key: loopback",
        ),
        (Some("no-such-key"), "oob", 302, "an unknown key: oob"),
        (
            Some(KEY_WITH_REFRESH),
            APP_CALLBACK,
            302,
            "the key's own destination",
        ),
        (
            Some(KEY_WITH_REFRESH),
            OTHER_CALLBACK,
            400,
            "another key's destination",
        ),
    ];
    for (key, destination, status, case) in cases {
        let mut pairs = vec![("destination", destination)];
        pairs.extend(key.map(|k| ("apiKey", k)));

        let response = app.browser().connect(&form_query(&pairs)).await;

        assert_eq!(response.status(), status, "{case}");
        if status == 400 {
            assert!(
                header(&response, "location").is_none(),
                "{case}: no redirect"
            );
        }
    }
}

#[tokio::test]
async fn the_api_key_may_come_from_x_api_key_but_the_query_parameter_wins() {
    let app = TestApp::spawn().await;
    let url = |query: &str| format!("{}/connect?{query}", app.address);
    let destination = form_query(&[("destination", APP_CALLBACK)]);
    let cases = [
        (
            destination.clone(),
            302,
            "the header key allows its destination",
        ),
        (
            format!("{destination}&apiKey=no-such-key"),
            400,
            "an unknown query key wins",
        ),
        (
            format!("{destination}&apiKey=&"),
            302,
            "an empty query key falls back to the header",
        ),
    ];
    for (query, status, case) in cases {
        let request = app
            .api
            .get(url(&query))
            .header("X-Api-Key", KEY_WITH_REFRESH);

        let response = send(request).await;

        assert_eq!(response.status(), status, "{case}");
    }
}

#[tokio::test]
async fn a_key_listing_star_may_send_tokens_to_any_http_url_but_nothing_else() {
    let app = TestApp::spawn().await;
    let cases = [
        ("https://anything.test/x?y=1", 302),
        ("http://anything.test/", 302),
        ("https://user@anything.test/x", 400),
        ("https://anything.test/x#fragment", 400),
        ("javascript:alert(1)", 400),
        ("ftp://anything.test/x", 400),
    ];
    for (destination, status) in cases {
        let query = form_query(&[("apiKey", KEY_FOR_ANYWHERE), ("destination", destination)]);

        let response = app.browser().connect(&query).await;

        assert_eq!(response.status(), status, "{destination}");
    }
}
