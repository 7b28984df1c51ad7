//! Attacks on codes and refresh tokens (RFC 9700 sections 2.1.1, 4.5 and 4.14;
//! `docs/reliability.md#open-redirects`, `docs/protocol.md#rotating-refresh-tokens`): code
//! injection, replay and PKCE downgrade fail; another client's refresh token is refused without
//! harming its chain; and the journal never holds a code or a token.

use serde_json::{Value, json};

use crate::support::authorize::*;
use crate::support::oauth::{assert_oauth_error, post_form};
use crate::support::*;

/// A confidential client of the attacker's, registered with the victim's redirect URI.
const ATTACKER: AppClient = AppClient {
    id: "attacker",
    secret: Some("attackerSecret1"),
    redirect_uri: APP_CALLBACK,
};

async fn register_attacker(server: &TestApp) {
    create_client(
        server,
        &json!({"client_id": ATTACKER.id, "secret": ATTACKER.secret, "name": "Attacker",
                "grants": ["authorization_code", "refresh_token"],
                "redirect_uris": [APP_CALLBACK]}),
    )
    .await;
}

#[tokio::test]
async fn a_stolen_code_fails_for_another_client_even_with_the_victims_verifier() {
    let server = TestApp::spawn().await;
    register_attacker(&server).await;
    let victim = code_for(&server, CONFIDENTIAL, &[]).await;

    let injected =
        exchange_code(&server, ATTACKER, &victim.code, Some(&victim.pkce.verifier)).await;

    assert_oauth_error(injected, 400, "invalid_grant", "Code not valid", "injected").await;
    assert!(
        listed_tokens(&server, "?client=attacker").await.is_empty(),
        "the attacker has no chain"
    );
}

#[tokio::test]
async fn a_stolen_code_fails_with_the_attackers_own_verifier() {
    let server = TestApp::spawn().await;
    let victim = code_for(&server, CONFIDENTIAL, &[]).await;
    let attackers_verifier = Pkce::new().verifier;

    let injected = exchange_code(
        &server,
        CONFIDENTIAL,
        &victim.code,
        Some(&attackers_verifier),
    )
    .await;

    let why = "PKCE verification failed: Code mismatch";
    assert_oauth_error(injected, 400, "invalid_grant", why, "another verifier").await;
}

#[tokio::test]
async fn a_replayed_code_ends_the_first_exchanges_access_token_at_userinfo_too() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[]).await;
    let verifier = Some(issued.pkce.verifier.as_str());
    let first: Value = exchange_code(&server, CONFIDENTIAL, &issued.code, verifier)
        .await
        .json()
        .await
        .unwrap();
    let userinfo = || {
        let request = server.api.get(server.url(USERINFO_PATH));
        send(request.bearer_auth(member(&first, "access_token")))
    };
    assert_eq!(userinfo().await.status(), 200);

    let replay = exchange_code(&server, CONFIDENTIAL, &issued.code, verifier).await;

    assert_eq!(replay.status(), 400);
    assert_eq!(userinfo().await.status(), 401);
}

#[tokio::test]
async fn a_verifier_for_a_code_issued_without_a_challenge_is_a_downgrade_and_refused() {
    let server = TestApp::spawn().await;
    let browser = code_for(&server, CONFIDENTIAL, &[]).await.browser;
    let pairs = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", APP_CALLBACK),
        ("state", STATE),
    ];
    let response = browser.authorize(&form_query(&pairs)).await;
    let code = Callback::from(&response).code().to_owned();

    let downgraded = exchange_code(&server, CONFIDENTIAL, &code, Some(&Pkce::new().verifier)).await;

    let why = "PKCE verification failed: no code_challenge was sent";
    assert_oauth_error(downgraded, 400, "invalid_grant", why, "downgrade").await;
}

#[tokio::test]
async fn the_plain_method_is_refused_and_issues_no_code() {
    let server = TestApp::spawn().await;
    let browser = code_for(&server, CONFIDENTIAL, &[]).await.browser;
    let verifier = Pkce::new().verifier;
    let pairs = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", APP_CALLBACK),
        ("state", STATE),
        ("code_challenge", verifier.as_str()),
        ("code_challenge_method", "plain"),
    ];

    let response = browser.authorize(&form_query(&pairs)).await;

    let expected = (
        "invalid_request",
        "Invalid parameter: code_challenge_method",
    );
    let iss = issuer(&server);
    assert_error_redirect(
        &response,
        APP_CALLBACK,
        expected,
        Some(STATE),
        &iss,
        "plain",
    );
}

#[tokio::test]
async fn another_clients_refresh_token_is_refused_without_harming_its_chain() {
    let server = TestApp::spawn().await;
    register_attacker(&server).await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let retired = member(&login, "refresh_token");
    let current = member(
        &refreshed(&server, CONFIDENTIAL, &retired).await,
        "refresh_token",
    );
    let why = "Invalid refresh token. Token client and authorized client don't match";

    for (client, token, case) in [
        (ATTACKER, &current, "the current token, confidential"),
        (PUBLIC, &current, "the current token, public"),
        (
            ATTACKER,
            &retired,
            "a retired token: no reuse detection for strangers",
        ),
    ] {
        let refused = refresh_grant(&server, client, token).await;
        assert_oauth_error(refused, 400, "invalid_grant", why, case).await;
    }

    let chain = &listed_tokens(&server, "").await[0];
    assert_eq!(
        (&chain["rotations"], &chain["revoked_reason"]),
        (&json!(1), &Value::Null)
    );
    assert_eq!(
        refresh_grant(&server, CONFIDENTIAL, &current)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_access_token_or_id_token_is_no_refresh_token() {
    let server = TestApp::spawn().await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let why = "Invalid refresh token";

    for name in ["access_token", "id_token"] {
        let refused = refresh_grant(&server, CONFIDENTIAL, &member(&login, name)).await;
        assert_oauth_error(refused, 400, "invalid_grant", why, name).await;
    }
}

#[tokio::test]
async fn no_code_verifier_token_secret_or_cookie_reaches_the_journal_or_the_listing() {
    let server = TestApp::spawn().await;
    let issued = code_for(&server, CONFIDENTIAL, &[("scope", "openid")]).await;
    let verifier = issued.pkce.verifier.clone();
    let login: Value = exchange_code(&server, CONFIDENTIAL, &issued.code, Some(&verifier))
        .await
        .json()
        .await
        .unwrap();
    let next = refreshed(&server, CONFIDENTIAL, &member(&login, "refresh_token")).await;
    refresh_grant(&server, CONFIDENTIAL, &member(&login, "refresh_token")).await;
    exchange_code(&server, CONFIDENTIAL, &issued.code, Some(&verifier)).await;
    let access = member(&next, "access_token");
    send(
        server
            .api
            .get(server.url(USERINFO_PATH))
            .bearer_auth(&access),
    )
    .await;
    let mut pairs = vec![("token", access.as_str())];
    pairs.extend(CONFIDENTIAL.credentials());
    post_form(&server, INTROSPECT_PATH, &pairs).await;
    let session = issued.browser.cookie(SESSION_COOKIE).expect("a session");

    let journal = server.get("/_emulator/journal").await.text().await.unwrap();
    let listing = server
        .get("/_emulator/refresh-tokens")
        .await
        .text()
        .await
        .unwrap();

    let mut secrets = vec![
        ("the code", issued.code.clone()),
        ("the verifier", verifier),
        ("the client secret", CLIENT_SECRET.to_owned()),
        ("the session cookie", session),
    ];
    for answer in [&login, &next] {
        for name in ["access_token", "refresh_token", "id_token"] {
            secrets.push((name, member(answer, name)));
        }
    }
    assert!(
        journal.contains("/realms/uitid/protocol/openid-connect/token"),
        "{journal}"
    );
    for (name, secret) in secrets {
        assert!(!journal.contains(&secret), "{name} is in the journal");
        assert!(!listing.contains(&secret), "{name} is in the listing");
    }
}
