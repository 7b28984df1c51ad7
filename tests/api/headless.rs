//! `docs/protocol.md#login`: headless login completes `/connect` at once for `login.headless_user`.

use crate::support::*;

#[tokio::test]
async fn headless_connect_goes_straight_to_the_destination_with_the_users_tokens() {
    let app = Setup::headless(USER_NICK).spawn().await;
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", APP_CALLBACK)]);

    let response = app.browser().connect(&query).await;

    assert_eq!(response.status(), 302);
    assert_not_cached(&response);
    let tokens = Tokens::from_redirect(&response);
    assert!(tokens.url.as_str().starts_with("https://app.test/cb?jwt="));
    assert_eq!(tokens.parameter_names(), ["jwt", "refresh"]);
    assert_eq!(Jwt::parse(&tokens.jwt).claims()["uid"], USER_UID);
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, tokens.refresh())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_headless_user_may_be_named_by_uid_and_oob_resolves_to_this_server() {
    let app = Setup::headless(NO_EMAIL_UID).spawn().await;

    let response = app.browser().connect("destination=oob").await;

    assert_eq!(response.status(), 302);
    let tokens = Tokens::from_redirect(&response);
    assert_eq!(
        tokens.url.as_str().split('?').next(),
        Some(format!("{}/oob", app.address).as_str())
    );
    let claims = Jwt::parse(&tokens.jwt).claims();
    assert_eq!(
        (claims["nick"].as_str(), claims["email"].as_str()),
        (Some("noemail"), Some(""))
    );
}

#[tokio::test]
async fn headless_mode_still_refuses_missing_and_disallowed_destinations() {
    let app = Setup::headless(USER_NICK).spawn().await;
    let refused = form_query(&[
        ("apiKey", KEY_WITH_REFRESH),
        ("destination", "https://evil.test/cb"),
    ]);

    assert_text_400(
        app.browser().connect("apiKey=x").await,
        MISSING_DESTINATION,
        "no destination",
    )
    .await;
    let response = app.browser().connect(&refused).await;

    assert_eq!(response.status(), 400);
    assert!(
        header(&response, "location").is_none(),
        "no tokens for a refused destination"
    );
}
