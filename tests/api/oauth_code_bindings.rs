//! A code is bound to its client, its redirect URI and its PKCE challenge
//! (`docs/protocol.md#authorization-codes`): each mismatch is `invalid_grant` with Keycloak's
//! text, and uses the code up, so a right exchange after a wrong one fails too. Public clients
//! exchange with PKCE and no secret, and get no client credentials.

use crate::support::authorize::*;
use crate::support::oauth::{TOKEN_PATH, assert_oauth_error, client_credentials, post_form};
use crate::support::*;

/// Whether the code has a challenge, what the exchange sends instead of the right values, the
/// `error_description`, and the case.
type Case<'a> = (bool, Vec<(&'a str, &'a str)>, &'a str, &'a str);

/// A code of a logged-in browser, for `client`, with `pkce`'s challenge when given.
async fn sso_code(browser: &Browser, client: AppClient, pkce: Option<&Pkce>) -> String {
    let query = match pkce {
        Some(pkce) => authorize_query(client, pkce, &[]),
        None => form_query(&[
            ("response_type", "code"),
            ("client_id", client.id),
            ("redirect_uri", client.redirect_uri),
            ("state", STATE),
        ]),
    };
    let response = browser.authorize(&query).await;
    assert_eq!(response.status(), 302, "a code at once");
    Callback::from(&response).code().to_owned()
}

#[tokio::test]
async fn each_mismatch_is_invalid_grant_and_uses_the_code_up() {
    let server = TestApp::spawn().await;
    let browser = code_for(&server, CONFIDENTIAL, &[]).await.browser;
    let other_verifier = Pkce::new().verifier;
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        (true, vec![("redirect_uri", "https://app.test/other")], "Incorrect redirect_uri", "another redirect_uri"),
        (true, vec![("redirect_uri", "")], "Incorrect redirect_uri", "no redirect_uri"),
        (true, vec![("code_verifier", &other_verifier)], "PKCE verification failed: Code mismatch", "another verifier"),
        (true, vec![("code_verifier", "too-short")], "PKCE verification failed: Invalid code verifier", "a malformed verifier"),
        (true, vec![("code_verifier", "")], "PKCE code verifier not specified", "no verifier"),
        (false, vec![("code_verifier", &other_verifier)], "PKCE verification failed: no code_challenge was sent", "a verifier without a challenge"),
    ];
    for (challenged, changes, description, case) in cases {
        let pkce = Pkce::new();
        let code = sso_code(&browser, CONFIDENTIAL, challenged.then_some(&pkce)).await;
        let right_verifier = challenged.then_some(pkce.verifier.as_str());
        let mut pairs = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            (
                "redirect_uri",
                changes
                    .iter()
                    .find(|(n, _)| *n == "redirect_uri")
                    .map_or(APP_CALLBACK, |c| c.1),
            ),
        ];
        let verifier = changes
            .iter()
            .find(|(n, _)| *n == "code_verifier")
            .map(|c| c.1);
        pairs.extend(verifier.or(right_verifier).map(|v| ("code_verifier", v)));

        let refused = post_form(&server, TOKEN_PATH, &pairs).await;
        let right = exchange_code(&server, CONFIDENTIAL, &code, right_verifier).await;

        assert_oauth_error(refused, 400, "invalid_grant", description, case).await;
        let case = format!("{case}, then the right exchange");
        assert_oauth_error(right, 400, "invalid_grant", "Code not valid", &case).await;
    }
    let chains = listed_tokens(&server, "").await;
    assert_eq!(chains.len(), 6, "a chain per presented code: {chains:?}");
    for chain in chains {
        assert_eq!(chain["revoked_reason"], "invalid_exchange", "{chain}");
    }
}

#[tokio::test]
async fn a_code_of_another_client_is_not_valid_and_is_used_up() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[]).await;
    let verifier = Some(issued.pkce.verifier.as_str());

    let stolen = exchange_code(&server, PUBLIC, &issued.code, verifier).await;
    let own = exchange_code(&server, CONFIDENTIAL, &issued.code, verifier).await;

    assert_oauth_error(
        stolen,
        400,
        "invalid_grant",
        "Code not valid",
        "another client",
    )
    .await;
    assert_oauth_error(own, 400, "invalid_grant", "Code not valid", "used up").await;
}

#[tokio::test]
async fn unknown_and_missing_codes_are_refused() {
    let server = TestApp::spawn().await;
    let unknown = exchange_code(&server, CONFIDENTIAL, "no-such-code", None).await;
    let mut pairs = vec![
        ("grant_type", "authorization_code"),
        ("redirect_uri", APP_CALLBACK),
    ];
    pairs.extend(CONFIDENTIAL.credentials());
    let missing = post_form(&server, TOKEN_PATH, &pairs).await;

    assert_oauth_error(unknown, 400, "invalid_grant", "Code not valid", "unknown").await;
    let why = "Missing parameter: code";
    assert_oauth_error(missing, 400, "invalid_request", why, "missing").await;
}

#[tokio::test]
async fn a_confidential_client_may_leave_pkce_out_altogether() {
    let server = TestApp::spawn().await;
    let browser = code_for(&server, CONFIDENTIAL, &[]).await.browser;
    let code = sso_code(&browser, CONFIDENTIAL, None).await;

    let response = exchange_code(&server, CONFIDENTIAL, &code, None).await;

    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_failed_client_authentication_leaves_the_code_alone() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[]).await;
    let pairs = [
        ("grant_type", "authorization_code"),
        ("code", issued.code.as_str()),
        ("redirect_uri", APP_CALLBACK),
        ("code_verifier", issued.pkce.verifier.as_str()),
        ("client_id", CLIENT_ID),
        ("client_secret", "wrong"),
    ];

    let refused = post_form(&server, TOKEN_PATH, &pairs).await;
    let right = exchange_code(
        &server,
        CONFIDENTIAL,
        &issued.code,
        Some(&issued.pkce.verifier),
    )
    .await;

    let invalid_client = "Invalid client or Invalid client credentials";
    assert_oauth_error(
        refused,
        401,
        "invalid_client",
        invalid_client,
        "wrong secret",
    )
    .await;
    assert_eq!(right.status(), 200, "the code was not presented to anyone");
}

#[tokio::test]
async fn a_public_client_exchanges_and_refreshes_with_pkce_and_no_secret() {
    let server = TestApp::spawn().await;

    let body = log_in_for_tokens(&server, PUBLIC, "openid").await;
    let next = refreshed(&server, PUBLIC, &member(&body, "refresh_token")).await;

    assert_eq!(body["scope"], "openid profile email");
    let claims = crate::support::jwt::Jwt::parse(&member(&body, "access_token")).claims();
    assert_eq!(claims["azp"], PUBLIC_CLIENT);
    assert_eq!(claims["https://publiq.be/publiq-apis"], "");
    assert_ne!(next["refresh_token"], body["refresh_token"]);
}

#[tokio::test]
async fn a_public_client_gets_no_client_credentials() {
    let server = TestApp::spawn().await;
    let pairs = [
        ("grant_type", "client_credentials"),
        ("client_id", PUBLIC_CLIENT),
    ];

    let response = post_form(&server, TOKEN_PATH, &pairs).await;

    let why = "Public client not allowed to retrieve service account";
    assert_oauth_error(response, 400, "unauthorized_client", why, "public").await;
    assert_eq!(
        client_credentials(&server).await.status(),
        200,
        "the confidential one does"
    );
}
