//! `docs/reliability.md#secrets`: with `RUST_LOG=trace`, the full flow and every error path leave
//! no issued token, session id, password or API key in the binary's stdout or stderr.

use crate::support::*;

/// `RUST_LOG=trace`: the most the binary can log, so a secret cannot hide below the level.
fn trace() -> [(&'static str, String); 1] {
    [("RUST_LOG", "trace".to_owned())]
}

/// Everything secret a run handed out or was sent.
struct Secrets(Vec<(&'static str, String)>);

impl Secrets {
    fn configured() -> Self {
        let keys = [
            KEY_WITH_REFRESH,
            KEY_WITHOUT_REFRESH,
            OTHER_KEY_WITH_REFRESH,
            KEY_FOR_ANYWHERE,
        ];
        let mut secrets: Vec<_> = keys.iter().map(|k| ("an API key", k.to_string())).collect();
        secrets.push(("a password", USER_PASSWORD.to_owned()));
        Self(secrets)
    }

    fn add_tokens(&mut self, tokens: &Tokens) {
        self.0.push(("a jwt", tokens.jwt.clone()));
        self.0.push((
            "a jwt signature",
            tokens.jwt.rsplit('.').next().unwrap().to_owned(),
        ));
        self.0
            .extend(tokens.refresh.clone().map(|r| ("a refresh token", r)));
    }

    fn assert_absent_from(&self, output: &str, stream: &str) {
        for (name, secret) in &self.0 {
            assert!(!output.contains(secret.as_str()), "{name} is in {stream}");
        }
    }
}

/// The error paths of `/refresh`, `/connect`, `/oob` and unknown routes, all carrying secrets.
async fn drive_error_paths(base: &str, tokens: &Tokens) {
    let api = client();
    let refresh = tokens.refresh();
    let url = |path: &str, pairs: &[(&str, &str)]| format!("{base}{path}?{}", form_query(pairs));
    let evil = format!("https://evil.test/?jwt={}", tokens.jwt);
    let paths = [
        url(
            "/refresh",
            &[("apiKey", KEY_WITH_REFRESH), ("refresh", &tokens.jwt)],
        ),
        url(
            "/refresh",
            &[("apiKey", OTHER_KEY_WITH_REFRESH), ("refresh", refresh)],
        ),
        url(
            "/refresh",
            &[("apiKey", KEY_WITHOUT_REFRESH), ("refresh", refresh)],
        ),
        url(
            "/refresh",
            &[
                ("apiKey", KEY_WITH_REFRESH),
                ("refresh", refresh),
                ("refresh", refresh),
            ],
        ),
        format!("{base}/refresh?apiKey={KEY_WITH_REFRESH}&refresh={refresh}%FF%FE"),
        url(
            "/connect",
            &[("apiKey", KEY_WITH_REFRESH), ("destination", &evil)],
        ),
        url("/oob", &[("jwt", &tokens.jwt), ("refresh", refresh)]),
        format!("{base}/no-such-route/{refresh}?apiKey={KEY_WITH_REFRESH}"),
    ];
    for url in paths {
        let response = send(api.get(&url).header("X-Api-Key", KEY_WITH_REFRESH)).await;
        assert!(response.status().as_u16() < 500, "{url}");
    }
    let post = api.post(format!(
        "{base}/refresh?apiKey={KEY_WITH_REFRESH}&refresh={refresh}"
    ));
    assert_eq!(send(post).await.status(), 405);
}

fn assert_clean_exit(finished: &Finished, secrets: &Secrets) {
    assert_eq!(finished.status.code(), Some(0), "exit code after SIGTERM");
    let verbose = finished.stdout.contains("DEBUG") && finished.stdout.contains("request{");
    assert!(
        verbose,
        "verbose request logs are captured: {}",
        finished.stdout
    );
    secrets.assert_absent_from(&finished.stdout, "stdout");
    secrets.assert_absent_from(&finished.stderr, "stderr");
}

#[tokio::test]
async fn headless_flow_and_error_paths_log_no_secret_at_trace_level() {
    let (dir, config) = server_dir(&Setup::headless(USER_NICK));
    let running = ServerProcess::start(dir.path(), Some(&config), &trace()).await;
    let mut secrets = Secrets::configured();
    let browser = Browser::new(&running.base);
    let connect = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", APP_CALLBACK)]);
    let tokens = Tokens::from_redirect(&browser.connect(&connect).await);
    secrets.add_tokens(&tokens);
    let refreshed = send(client().get(format!(
        "{}/refresh?{}",
        running.base,
        form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", tokens.refresh())])
    )))
    .await;
    assert_eq!(refreshed.status(), 200);
    secrets.0.push(("a refreshed jwt", text(refreshed).await));

    drive_error_paths(&running.base, &tokens).await;
    let finished = running.terminate().await;

    assert_clean_exit(&finished, &secrets);
}

#[tokio::test]
async fn form_login_sso_and_logout_log_no_secret_at_trace_level() {
    let (dir, config) = server_dir(&Setup::default());
    let running = ServerProcess::start(dir.path(), Some(&config), &trace()).await;
    let mut secrets = Secrets::configured();
    let browser = Browser::new(&running.base);
    let connect = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", "oob")]);
    let form = browser.open_form(&connect).await;
    browser
        .submit_login(&form, USER_NICK, "a-wrong-password")
        .await;
    let forged = LoginForm {
        csrf: "forged".into(),
        ..form.clone()
    };
    assert_eq!(
        browser
            .submit_login(&forged, USER_NICK, USER_PASSWORD)
            .await
            .status(),
        403
    );
    let login = Tokens::from_redirect(&browser.submit_login(&form, USER_NICK, USER_PASSWORD).await);
    let sso = Tokens::from_redirect(&browser.connect(&connect).await);
    secrets.add_tokens(&login);
    secrets.add_tokens(&sso);
    for cookie in ["uitid_emulator_session", "uitid_emulator_browser"] {
        secrets
            .0
            .push(("a cookie", browser.cookie(cookie).expect("a cookie")));
    }
    assert_eq!(
        browser.get(login.url.as_str()).await.status(),
        200,
        "the oob page"
    );

    browser
        .logout(&form_query(&[("destination", "http://localhost:5173/")]))
        .await;
    browser.logout_confirm().await;
    drive_error_paths(&running.base, &login).await;
    let finished = running.terminate().await;

    assert_clean_exit(&finished, &secrets);
}
