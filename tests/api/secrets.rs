//! `docs/protocol.md#refresh-tokens`, `docs/reliability.md#secrets`: the database files (with the
//! WAL) never hold a token, a session id or an API key in clear.

use std::path::Path;

use crate::support::authorize::{CONFIDENTIAL, code_for, exchange_code, member, refreshed};
use crate::support::*;

/// Everything secret the flows below handed out, with a name for the failure message.
#[derive(Default)]
struct Secrets(Vec<(String, String)>);

impl Secrets {
    fn add(&mut self, name: &str, value: &str) {
        self.0.push((name.to_owned(), value.to_owned()));
    }

    fn add_jwt(&mut self, name: &str, jwt: &str) {
        self.add(name, jwt);
        let signature = jwt.rsplit('.').next().expect("a signature part");
        self.add(&format!("{name} signature"), signature);
    }
}

/// Bytes of the database file and its `-wal` and `-shm` files, whichever exist, by suffix.
fn database_files(database: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .into_iter()
        .filter_map(|suffix| {
            let mut path = database.as_os_str().to_owned();
            path.push(suffix);
            Some((format!("the database{suffix}"), std::fs::read(path).ok()?))
        })
        .collect()
}

fn contains(files: &[(String, Vec<u8>)], needle: &str) -> bool {
    let needle = needle.as_bytes();
    files
        .iter()
        .any(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
}

fn assert_no_secret_in(files: &[(String, Vec<u8>)], secrets: &Secrets, when: &str) {
    for (file, bytes) in files {
        for (name, secret) in &secrets.0 {
            let file = [(file.clone(), bytes.clone())];
            assert!(
                !contains(&file, secret),
                "{when}: {name} is in {} in clear",
                file[0].0
            );
        }
    }
}

#[tokio::test]
async fn the_database_files_never_hold_a_token_session_id_or_api_key_in_clear() {
    let app = TestApp::spawn().await;
    let mut secrets = Secrets::default();
    for key in [
        KEY_WITH_REFRESH,
        KEY_WITHOUT_REFRESH,
        OTHER_KEY_WITH_REFRESH,
        KEY_FOR_ANYWHERE,
    ] {
        secrets.add("an API key", key);
    }
    secrets.add("a password", USER_PASSWORD);
    let browser = app.browser();
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("destination", APP_CALLBACK)]);
    let login = Tokens::from_redirect(&browser.log_in(&query).await);
    let sso = Tokens::from_redirect(&browser.connect(&query).await);
    for (name, tokens) in [("login", &login), ("SSO", &sso)] {
        secrets.add(&format!("the {name} refresh token"), tokens.refresh());
        secrets.add_jwt(&format!("the {name} jwt"), &tokens.jwt);
        let refreshed = text(app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await).await;
        secrets.add_jwt(
            &format!("a jwt refreshed from the {name} token"),
            &refreshed,
        );
    }
    secrets.add(
        "the session id",
        &browser.cookie(SESSION_COOKIE).expect("a session"),
    );
    add_user_login_secrets(&app, &mut secrets).await;
    let database = app.database_path();

    let while_running = database_files(&database);
    let _stopped = app.stop().await;
    let after_stop = database_files(&database);

    let names: Vec<&str> = while_running
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        names.contains(&"the database") && names.contains(&"the database-wal"),
        "{names:?}"
    );
    assert!(
        contains(&while_running, USER_UID),
        "the scan sees what is stored in clear"
    );
    assert!(
        contains(&after_stop, USER_UID),
        "the scan sees what is stored in clear"
    );
    assert_no_secret_in(&while_running, &secrets, "while running");
    assert_no_secret_in(&after_stop, &secrets, "after a graceful stop");
}

/// The realm's user login (`docs/protocol.md#user-login`): its code, the chain's first and
/// rotated refresh tokens, the access token and id_token, and the client's secret.
async fn add_user_login_secrets(app: &TestApp, secrets: &mut Secrets) {
    secrets.add("a client secret", CLIENT_SECRET);
    let issued = code_for(app, CONFIDENTIAL, &[("scope", "openid")]).await;
    secrets.add("an authorization code", &issued.code);
    let verifier = Some(issued.pkce.verifier.as_str());
    let response = exchange_code(app, CONFIDENTIAL, &issued.code, verifier).await;
    assert_eq!(response.status(), 200, "the code is exchanged");
    let tokens: serde_json::Value = response.json().await.expect("JSON");
    let first = member(&tokens, "refresh_token");
    secrets.add("a chain's first refresh token", &first);
    secrets.add_jwt("a user access token", &member(&tokens, "access_token"));
    secrets.add_jwt("an id_token", &member(&tokens, "id_token"));
    let rotated = refreshed(app, CONFIDENTIAL, &first).await;
    secrets.add(
        "a rotated refresh token",
        &member(&rotated, "refresh_token"),
    );
}
