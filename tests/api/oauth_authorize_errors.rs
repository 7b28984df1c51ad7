//! The authorization endpoint's refusals in Keycloak's order
//! (`docs/protocol.md#authorization-endpoint`): an unknown client or redirect URI is an error
//! page and never a redirect; every later error goes back to the redirect URI with `error`,
//! `error_description`, `state` and always `iss` (RFC 9207).

use serde_json::json;

use crate::support::authorize::*;
use crate::support::*;

/// A client with client credentials only, but a registered redirect URI.
const NO_CODE_CLIENT: &str = "no-code-grant";

/// A request's pairs, the `error` and `error_description` it gets back, and the case.
type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str, &'a str);

/// The usual request's pairs with `name` left out.
fn without<'a>(pairs: &[(&'a str, &'a str)], name: &str) -> Vec<(&'a str, &'a str)> {
    pairs.iter().copied().filter(|(n, _)| *n != name).collect()
}

/// The usual request's pairs with `name` set to `value` (replaced, or added).
fn with<'a>(
    pairs: &[(&'a str, &'a str)],
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut changed = without(pairs, name);
    changed.push((name, value));
    changed
}

/// The same request as a `GET` query and as a form `POST` (OIDC Core 3.1.2.1).
async fn both_ways(
    server: &TestApp,
    pairs: &[(&str, &str)],
) -> [(reqwest::Response, &'static str); 2] {
    let query = form_query(pairs);
    let get = server.browser().authorize(&query).await;
    let post = server.browser().post(AUTHORIZE_PATH, &query).await;
    [(get, "GET"), (post, "POST")]
}

#[tokio::test]
async fn an_unknown_client_or_redirect_uri_is_an_error_page_and_never_a_redirect() {
    let server = TestApp::spawn().await;
    let pkce = Pkce::new();
    let usual = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", APP_CALLBACK),
        ("state", STATE),
        ("code_challenge", pkce.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let cases = [
        (without(&usual, "client_id"), "Missing parameter: client_id"),
        (
            with(&usual, "client_id", ""),
            "Missing parameter: client_id",
        ),
        (with(&usual, "client_id", "nobody"), "Client not found."),
        (
            without(&usual, "redirect_uri"),
            "Missing parameter: redirect_uri",
        ),
        (
            with(&usual, "redirect_uri", OTHER_CALLBACK),
            "Invalid parameter: redirect_uri",
        ),
        (
            with(&usual, "client_id", CLIENT_WITHOUT_ENTRY),
            "Invalid parameter: redirect_uri",
        ),
        // Checked before anything else, so a bad response_type cannot reach an unknown URI.
        (
            with(
                &with(&usual, "redirect_uri", OTHER_CALLBACK),
                "response_type",
                "token",
            ),
            "Invalid parameter: redirect_uri",
        ),
    ];
    for (pairs, shown) in cases {
        for (response, method) in both_ways(&server, &pairs).await {
            assert_error_page(response, shown, &format!("{method} {pairs:?}")).await;
        }
    }
}

#[tokio::test]
async fn every_later_error_goes_back_with_error_description_state_and_iss() {
    let server = TestApp::spawn().await;
    create_client(
        &server,
        &json!({"client_id": NO_CODE_CLIENT, "secret": "noCode1", "name": "No code",
                "grants": ["client_credentials"], "redirect_uris": [APP_CALLBACK]}),
    )
    .await;
    let pkce = Pkce::new();
    let usual = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", APP_CALLBACK),
        ("state", STATE),
        ("code_challenge", pkce.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let mut twice = usual.to_vec();
    twice.push(("scope", "openid"));
    twice.push(("scope", "email"));
    let public = with(
        &with(&usual, "client_id", PUBLIC_CLIENT),
        "redirect_uri",
        PUBLIC_CALLBACK,
    );
    let invalid = "invalid_request";
    let method_error = "Invalid parameter: code_challenge_method";
    let challenge_error = "Invalid parameter: code_challenge";
    let plus = format!("{}+", &pkce.challenge[..42]);
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        (twice, invalid, "duplicated parameter", "a parameter given twice"),
        (without(&usual, "response_type"), invalid, "Missing parameter: response_type", "no response_type"),
        (with(&usual, "response_type", "token"), "unsupported_response_type", "Client is not allowed to initiate browser login with given response_type.", "the implicit flow"),
        (with(&usual, "response_type", "code id_token"), "unsupported_response_type", "Client is not allowed to initiate browser login with given response_type.", "a hybrid flow"),
        (with(&usual, "response_mode", "fragment"), invalid, "Invalid parameter: response_mode", "response_mode fragment"),
        (with(&usual, "response_mode", "form_post"), invalid, "Invalid parameter: response_mode", "response_mode form_post"),
        (with(&usual, "client_id", NO_CODE_CLIENT), "unauthorized_client", "Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.", "no authorization_code grant"),
        (with(&usual, "scope", "openid admin"), "invalid_scope", "Invalid scopes: openid admin", "a scope the realm does not offer"),
        (with(&usual, "code_challenge_method", "plain"), invalid, method_error, "the plain method"),
        (with(&usual, "code_challenge_method", "s256"), invalid, method_error, "a method in lower case"),
        (without(&usual, "code_challenge_method"), invalid, method_error, "a challenge without a method"),
        (without(&usual, "code_challenge"), invalid, "Missing parameter: code_challenge", "a method without a challenge"),
        (without(&without(&public, "code_challenge"), "code_challenge_method"), invalid, "Missing parameter: code_challenge_method", "a public client without PKCE"),
        (with(&usual, "code_challenge", &pkce.challenge[..42]), invalid, challenge_error, "a 42-character challenge"),
        (with(&usual, "code_challenge", &plus), invalid, challenge_error, "a challenge with a +"),
        (with(&usual, "prompt", "none"), "login_required", "Login required", "prompt=none without a session"),
    ];
    let iss = issuer(&server);
    for (pairs, error, description, case) in cases {
        let redirect = pairs.iter().find(|(n, _)| *n == "redirect_uri").unwrap().1;
        for (response, method) in both_ways(&server, &pairs).await {
            let case = format!("{case} ({method})");
            let expected = (error, description);
            assert_error_redirect(&response, redirect, expected, Some(STATE), &iss, &case);
        }
    }
}

#[tokio::test]
async fn an_error_without_state_still_carries_iss() {
    let server = TestApp::spawn().await;
    let pairs = [
        ("response_type", "token"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", APP_CALLBACK),
    ];

    let response = server.browser().authorize(&form_query(&pairs)).await;

    let expected = (
        "unsupported_response_type",
        "Client is not allowed to initiate browser login with given response_type.",
    );
    let iss = issuer(&server);
    assert_error_redirect(&response, APP_CALLBACK, expected, None, &iss, "no state");
}

#[tokio::test]
async fn the_publiq_extras_are_accepted_and_ignored() {
    let server = TestApp::spawn().await;
    let extras = [
        ("referrer", "udb"),
        ("screen", "register"),
        ("locale", "nl"),
        ("email", "x@example.test"),
        ("fixed_email", "true"),
        ("first_name", "X"),
        ("audience", "https://api.publiq.be"),
        ("skip_verify_legacy", "true"),
        ("product_display_name", "UiTdatabank"),
        ("nonce", "n-0S6_WzA2Mj"),
    ];

    let issued = code_for(&server, CONFIDENTIAL, &extras).await;

    assert_eq!(
        issued.callback.names(),
        ["code", "state", "session_state", "iss"]
    );
}
