//! `docs/reliability.md#secrets` for user login on the realm: with `RUST_LOG=trace`, the
//! authorization request, the form, the code exchange, rotation, userinfo, introspection,
//! revocation, logout and their error paths leave no code, verifier, token, secret or cookie in
//! the binary's stdout or stderr.

use reqwest::{Client, Response};
use serde_json::Value;

use crate::support::authorize::*;
use crate::support::oauth::TOKEN_PATH;
use crate::support::*;

/// What a login handed out, and what the client kept.
struct Flow {
    code: String,
    sso_code: String,
    verifier: String,
    login: Value,
    next: Value,
    session: String,
}

/// A form POST to `path` of the server at `base`, as the confidential client.
async fn post_to(api: &Client, base: &str, path: &str, pairs: &[(&str, &str)]) -> Response {
    let mut pairs = pairs.to_vec();
    pairs.extend(CONFIDENTIAL.credentials());
    send(api.post(format!("{base}{path}")).form(&pairs)).await
}

async fn token_answer(api: &Client, base: &str, pairs: &[(&str, &str)]) -> Value {
    let response = post_to(api, base, TOKEN_PATH, pairs).await;
    assert_eq!(response.status(), 200, "{pairs:?}");
    response.json().await.unwrap()
}

fn exchange_pairs<'a>(code: &'a str, verifier: &'a str) -> [(&'a str, &'a str); 4] {
    [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", APP_CALLBACK),
        ("code_verifier", verifier),
    ]
}

async fn log_in_and_use_the_tokens(api: &Client, base: &str, browser: &Browser) -> Flow {
    let pkce = Pkce::new();
    let query = authorize_query(CONFIDENTIAL, &pkce, &[("scope", "openid"), ("nonce", "n1")]);
    let code = Callback::from(&browser.authorize_through_form(&query).await)
        .code()
        .to_owned();
    let login = token_answer(api, base, &exchange_pairs(&code, &pkce.verifier)).await;
    let refresh = member(&login, "refresh_token");
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ];
    let next = token_answer(api, base, &refresh).await;
    let access = member(&next, "access_token");
    let userinfo = api
        .get(format!("{base}{USERINFO_PATH}"))
        .bearer_auth(&access);
    assert_eq!(send(userinfo).await.status(), 200);
    let introspected = post_to(api, base, INTROSPECT_PATH, &[("token", &access)]).await;
    assert_eq!(introspected.status(), 200);
    let sso = browser
        .authorize(&authorize_query(CONFIDENTIAL, &Pkce::new(), &[]))
        .await;
    Flow {
        code,
        sso_code: Callback::from(&sso).code().to_owned(),
        verifier: pkce.verifier,
        login,
        next,
        session: browser.cookie(SESSION_COOKIE).expect("a session cookie"),
    }
}

/// Refusals that each carry a secret, then the revocation and the logout.
async fn drive_error_paths(api: &Client, base: &str, browser: &Browser, flow: &Flow) {
    let first = member(&flow.login, "refresh_token");
    let access = member(&flow.next, "access_token");
    let other_verifier = Pkce::new().verifier;
    let failing = [
        exchange_pairs(&flow.code, &flow.verifier).to_vec(),
        exchange_pairs(&flow.sso_code, &other_verifier).to_vec(),
        vec![("grant_type", "refresh_token"), ("refresh_token", &first)],
        vec![("grant_type", "refresh_token"), ("refresh_token", &access)],
    ];
    for pairs in failing {
        let response = post_to(api, base, TOKEN_PATH, &pairs).await;
        assert_eq!(response.status(), 400, "{pairs:?}");
    }
    let wrong_secret = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", first.as_str()),
    ];
    let refused = send(api.post(format!("{base}{TOKEN_PATH}")).form(&wrong_secret)).await;
    assert_eq!(refused.status(), 401);
    let forged = api
        .get(format!("{base}{USERINFO_PATH}"))
        .bearer_auth(format!("{access}x"));
    assert_eq!(send(forged).await.status(), 401);
    let evil = format!("https://evil.test/cb?code={}", flow.code);
    let evil = form_query(&[("client_id", CLIENT_ID), ("redirect_uri", &evil)]);
    assert_eq!(browser.authorize(&evil).await.status(), 400);
    let next = member(&flow.next, "refresh_token");
    assert_eq!(
        post_to(api, base, REVOKE_PATH, &[("token", &next)])
            .await
            .status(),
        200
    );
    let hint = member(&flow.login, "id_token");
    let logout = [
        ("id_token_hint", hint.as_str()),
        ("post_logout_redirect_uri", APP_LOGGED_OUT),
    ];
    let logout = browser
        .get(&format!("{LOGOUT_PATH}?{}", form_query(&logout)))
        .await;
    assert_eq!(logout.status(), 302);
}

fn secrets(flow: &Flow) -> Vec<(&'static str, String)> {
    let mut secrets = vec![
        ("a code", flow.code.clone()),
        ("an SSO code", flow.sso_code.clone()),
        ("the verifier", flow.verifier.clone()),
        ("the client secret", CLIENT_SECRET.to_owned()),
        ("the password", USER_PASSWORD.to_owned()),
        ("the session cookie", flow.session.clone()),
    ];
    for answer in [&flow.login, &flow.next] {
        for name in ["access_token", "refresh_token", "id_token"] {
            let token = member(answer, name);
            secrets.push(("a signature", token.rsplit('.').next().unwrap().to_owned()));
            secrets.push((name, token));
        }
    }
    secrets
}

#[tokio::test]
async fn user_login_and_its_error_paths_log_no_secret_at_trace_level() {
    let (dir, config) = server_dir(&Setup::default());
    let env = [("RUST_LOG", "trace".to_owned())];
    let running = ServerProcess::start(dir.path(), Some(&config), &env).await;
    let (base, api) = (running.base.clone(), client());
    let browser = Browser::new(&base);

    let flow = log_in_and_use_the_tokens(&api, &base, &browser).await;
    drive_error_paths(&api, &base, &browser, &flow).await;
    let finished = running.terminate().await;

    assert_eq!(finished.status.code(), Some(0), "exit code after SIGTERM");
    assert!(
        finished.stdout.contains("DEBUG"),
        "verbose logs are captured"
    );
    for (name, secret) in secrets(&flow) {
        assert!(!finished.stdout.contains(&secret), "{name} is in stdout");
        assert!(!finished.stderr.contains(&secret), "{name} is in stderr");
    }
}
