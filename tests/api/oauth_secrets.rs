//! `docs/reliability.md#secrets` for the OAuth2 realm: with `RUST_LOG=trace`, client secrets
//! (right and wrong, in the body and by HTTP Basic) and client access tokens appear neither in
//! the binary's output nor in its database files.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn token_requests_leave_no_secret_or_token_in_logs_or_database_files() {
    let (dir, config) = server_dir(&Setup::default());
    let trace = [("RUST_LOG", "trace".to_owned())];
    let running = ServerProcess::start(dir.path(), Some(&config), &trace).await;
    let token_url = format!(
        "{}/realms/uitid/protocol/openid-connect/token",
        running.base
    );
    let api = client();
    let mut secrets = vec![
        CLIENT_SECRET.to_owned(),
        CLIENT_WITHOUT_ENTRY_SECRET.to_owned(),
        "wrongGuess123".to_owned(),
    ];
    let body = |secret: &str| {
        form_query(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", secret),
        ])
    };
    let form = |request: reqwest::RequestBuilder, text: String| {
        request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(text)
    };
    for secret in [CLIENT_SECRET, "wrongGuess123"] {
        let by_body = send(form(api.post(&token_url), body(secret))).await;
        let basic = STANDARD.encode(format!("{CLIENT_WITHOUT_ENTRY}:{secret}"));
        secrets.push(basic.clone());
        let by_basic = form(api.post(&token_url), "grant_type=client_credentials".into())
            .header("authorization", format!("Basic {basic}"));
        let by_basic = send(by_basic).await;
        for response in [by_body, by_basic] {
            if response.status() == 200 {
                let granted: Value = response.json().await.unwrap();
                let jwt = granted["access_token"].as_str().unwrap().to_owned();
                secrets.push(jwt.rsplit('.').next().unwrap().to_owned());
                secrets.push(jwt);
            }
        }
    }
    assert!(
        secrets.len() >= 6,
        "two tokens were granted: {}",
        secrets.len()
    );

    let finished = running.terminate().await;

    assert_eq!(finished.status.code(), Some(0));
    assert!(
        finished
            .stdout
            .contains("/realms/uitid/protocol/openid-connect/token"),
        "requests are logged"
    );
    for secret in &secrets {
        for (stream, text) in [("stdout", &finished.stdout), ("stderr", &finished.stderr)] {
            assert!(
                !text.contains(secret.as_str()),
                "a secret or token is in {stream}: {secret}"
            );
        }
    }
    let mut scanned = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        // The database and its WAL; the configuration file holds the secrets by design.
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !path.is_file() || !name.starts_with("db.sqlite") {
            continue;
        }
        scanned += 1;
        let bytes = std::fs::read(&path).unwrap();
        for secret in &secrets {
            let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!found, "{} holds a secret or token", path.display());
        }
    }
    assert!(scanned >= 1, "the database files were scanned");
}
