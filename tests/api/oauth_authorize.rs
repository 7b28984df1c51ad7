//! The authorization endpoint's successes (`docs/protocol.md#authorization-endpoint`): the
//! redirect back with `code`, `state`, `session_state` and `iss`, the login form in the asked
//! language, SSO, `prompt`, headless logins picked by `login_hint`, and Cancel.

use serde_json::{Value, json};

use crate::support::authorize::*;
use crate::support::jwt::Jwt;
use crate::support::*;

/// A loopback port the public client never registered: RFC 8252 section 7.3 lets it in.
const OTHER_PORT_CALLBACK: &str = "http://localhost:5173/callback";

#[tokio::test]
async fn success_redirects_with_code_state_session_state_and_the_discovery_issuer() {
    let server = TestApp::spawn().await;
    let discovery = get_json(
        &server.api,
        &server.url("/realms/uitid/.well-known/openid-configuration"),
    )
    .await;

    let issued = code_for(&server, CONFIDENTIAL, &[]).await;

    let callback = &issued.callback;
    assert_eq!(callback.target(), APP_CALLBACK);
    assert_eq!(callback.names(), ["code", "state", "session_state", "iss"]);
    assert_eq!(callback.get("state"), Some(STATE));
    assert_eq!(callback.get("iss"), discovery["issuer"].as_str());
    assert_eq!(callback.get("iss"), Some(issuer(&server).as_str()));
    let sid = callback.get("session_state").unwrap();
    assert!(
        uuid::Uuid::parse_str(sid).is_ok(),
        "a UUID session_state: {sid}"
    );
    assert!(
        issued.code.len() >= 43,
        "an unguessable code: {}",
        issued.code
    );
}

#[tokio::test]
async fn the_redirect_keeps_the_query_the_client_registered() {
    let server = TestApp::spawn().await;
    let registered = "https://app.test/cb?tenant=7&lang=nl";
    create_client(
        &server,
        &json!({"client_id": "with-query", "secret": "withQuery1", "name": "With query",
                "grants": ["authorization_code"], "redirect_uris": [registered]}),
    )
    .await;
    let client = AppClient {
        id: "with-query",
        secret: Some("withQuery1"),
        redirect_uri: registered,
    };

    let issued = code_for(&server, client, &[]).await;

    let names = issued.callback.names();
    assert_eq!(
        names,
        ["tenant", "lang", "code", "state", "session_state", "iss"]
    );
    assert_eq!(issued.callback.get("tenant"), Some("7"));
    let exchanged = exchange_code(&server, client, &issued.code, Some(&issued.pkce.verifier)).await;
    assert_eq!(exchanged.status(), 200, "the same URI, query included");
}

#[tokio::test]
async fn a_loopback_redirect_uri_on_another_port_gets_the_code() {
    let server = TestApp::spawn().await;
    let client = AppClient {
        redirect_uri: OTHER_PORT_CALLBACK,
        ..PUBLIC
    };

    let issued = code_for(&server, client, &[]).await;

    assert_eq!(issued.callback.target(), OTHER_PORT_CALLBACK);
    let exchanged = exchange_code(&server, client, &issued.code, Some(&issued.pkce.verifier)).await;
    assert_eq!(exchanged.status(), 200);
}

#[tokio::test]
async fn a_logged_in_browser_gets_a_code_at_once_in_the_same_session() {
    let server = TestApp::spawn().await;
    let first = code_for(&server, CONFIDENTIAL, &[]).await;

    let again = first
        .browser
        .authorize(&authorize_query(CONFIDENTIAL, &Pkce::new(), &[]))
        .await;

    assert_eq!(again.status(), 302, "no form");
    let callback = Callback::from(&again);
    assert_eq!(callback.target(), APP_CALLBACK);
    assert_ne!(callback.code(), first.code);
    assert_eq!(
        callback.get("session_state"),
        first.callback.get("session_state"),
        "one SSO session"
    );
}

#[tokio::test]
async fn prompt_login_shows_the_form_despite_the_sso_session() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[]).await;
    let query = authorize_query(CONFIDENTIAL, &Pkce::new(), &[("prompt", "login")]);

    let response = issued.browser.authorize(&query).await;

    assert_eq!(response.status(), 302);
    assert!(location(&response).starts_with("/login?flow="));
}

#[tokio::test]
async fn prompt_none_gives_a_code_with_a_session_and_login_required_without() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[]).await;
    let query = authorize_query(CONFIDENTIAL, &Pkce::new(), &[("prompt", "none")]);

    let with_session = issued.browser.authorize(&query).await;
    let without = server.browser().authorize(&query).await;

    assert_eq!(with_session.status(), 302);
    assert!(Callback::from(&with_session).get("code").is_some());
    let expected = ("login_required", "Login required");
    let iss = issuer(&server);
    assert_error_redirect(
        &without,
        APP_CALLBACK,
        expected,
        Some(STATE),
        &iss,
        "no session",
    );
}

#[tokio::test]
async fn headless_mode_logs_in_the_user_login_hint_names_or_else_the_configured_one() {
    let server = Setup::headless(USER_NICK).spawn().await;
    let cases = [
        (None, USER_UID),
        (Some("noemail"), NO_EMAIL_UID),
        (Some(USER_EMAIL), USER_UID),
        (Some(NO_EMAIL_UID), NO_EMAIL_UID),
    ];
    for (hint, uid) in cases {
        let pkce = Pkce::new();
        let extra: Vec<_> = hint.map(|h| ("login_hint", h)).into_iter().collect();

        let response = server
            .browser()
            .authorize(&authorize_query(CONFIDENTIAL, &pkce, &extra))
            .await;

        assert_eq!(response.status(), 302, "{hint:?}: no form");
        let code = Callback::from(&response).code().to_owned();
        let answer: Value = exchange_code(&server, CONFIDENTIAL, &code, Some(&pkce.verifier))
            .await
            .json()
            .await
            .unwrap();
        let access = Jwt::parse(&member(&answer, "access_token"));
        assert_eq!(access.claims()["sub"], uid, "{hint:?}");
    }
    let unknown = authorize_query(CONFIDENTIAL, &Pkce::new(), &[("login_hint", "nobody")]);
    let response = server.browser().authorize(&unknown).await;
    let expected = ("invalid_request", "Unknown login_hint");
    let iss = issuer(&server);
    assert_error_redirect(
        &response,
        APP_CALLBACK,
        expected,
        Some(STATE),
        &iss,
        "unknown hint",
    );
}

#[tokio::test]
async fn ui_locales_picks_the_forms_language() {
    let server = TestApp::spawn().await;
    let cases = [
        (Some("fr"), "fr", "Se connecter avec UiTiD"),
        (Some("en-GB de-BE"), "de", "Mit UiTiD anmelden"),
        (Some("fr-BE nl"), "fr", "Se connecter avec UiTiD"),
        (None, "nl", "Aanmelden met UiTiD"),
    ];
    for (locales, lang, title) in cases {
        let browser = server.browser();
        let extra: Vec<_> = locales.map(|l| ("ui_locales", l)).into_iter().collect();
        let response = browser
            .authorize(&authorize_query(CONFIDENTIAL, &Pkce::new(), &extra))
            .await;

        let form = browser.read_form(&location(&response)).await;

        assert!(
            form.html.contains(&format!(r#"<html lang="{lang}">"#)),
            "{locales:?}"
        );
        assert!(
            form.html.contains(&format!("<h1>{title}</h1>")),
            "{locales:?}"
        );
    }
}

#[tokio::test]
async fn cancel_sends_access_denied_back_with_state_and_iss() {
    let server = TestApp::spawn().await;
    let browser = server.browser();
    let response = browser
        .authorize(&authorize_query(CONFIDENTIAL, &Pkce::new(), &[]))
        .await;
    let form = browser.read_form(&location(&response)).await;

    let cancelled = browser
        .submit(&[
            ("flow", &form.flow),
            ("csrf", &form.csrf),
            ("action", "cancel"),
        ])
        .await;

    assert_eq!(cancelled.status(), 303);
    let callback = Callback::from(&cancelled);
    let iss = issuer(&server);
    let wanted = [
        ("error", "access_denied"),
        ("error_description", "The user cancelled the login."),
        ("state", STATE),
        ("iss", iss.as_str()),
    ];
    let wanted: Vec<(String, String)> = wanted
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    assert_eq!(callback.target(), APP_CALLBACK);
    assert_eq!(callback.pairs, wanted);
    assert!(browser.cookie(SESSION_COOKIE).is_none(), "no session");
}

#[tokio::test]
async fn the_request_may_come_as_a_form_post() {
    let server = TestApp::spawn().await;
    let browser = server.browser();
    browser
        .authorize_through_form(&authorize_query(CONFIDENTIAL, &Pkce::new(), &[]))
        .await;
    let pkce = Pkce::new();

    let response = browser
        .post(AUTHORIZE_PATH, &authorize_query(CONFIDENTIAL, &pkce, &[]))
        .await;

    assert_eq!(response.status(), 302);
    let code = Callback::from(&response).code().to_owned();
    let exchanged = exchange_code(&server, CONFIDENTIAL, &code, Some(&pkce.verifier)).await;
    assert_eq!(exchanged.status(), 200);
}
