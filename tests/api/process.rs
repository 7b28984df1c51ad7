//! The built binary: graceful shutdown on SIGTERM, and a bad configuration file refused at
//! start with a message that names the file and the key (`docs/protocol.md#configuration`).

use crate::support::*;

#[tokio::test]
async fn sigterm_stops_the_binary_gracefully_with_exit_code_0() {
    let (dir, config) = server_dir(&Setup::default());
    let running = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    let before = send(reqwest::Client::new().get(format!("{}/public.pem", running.base))).await;
    assert_eq!(before.status(), 200);
    let base = running.base.clone();

    let finished = running.terminate().await;

    assert_eq!(
        finished.status.code(),
        Some(0),
        "stderr: {}",
        finished.stderr
    );
    let after = reqwest::Client::new()
        .get(format!("{base}/public.pem"))
        .send()
        .await;
    assert!(after.is_err(), "nothing listens after the exit");
}

#[tokio::test]
async fn with_json_logs_the_binary_still_logs_the_address_it_bound_on_port_0() {
    let (dir, config) = server_dir(&Setup::default());
    let json = [("UITID_EMULATOR__LOG__FORMAT", "json".to_owned())];

    let running = ServerProcess::start(dir.path(), Some(&config), &json).await;
    let live = send(client().get(format!("{}/health/live", running.base))).await;

    assert_eq!(live.status(), 200, "the logged address answers");
    let logs = running.logs();
    assert!(
        logs.contains(r#""message":"uitid-emulator listening""#),
        "the address came from a JSON line: {logs}"
    );
    assert!(running.terminate().await.status.success());
}

/// `(file contents, the key the message must name)`; each case also gets a valid database.
const BAD_CONFIGS: &[(&str, &str)] = &[
    ("[token]\naccess_ttl = \"twelve hours\"", "token.access_ttl"),
    (
        "[token]\nrefresh_ttl = \"a fortnight\"",
        "token.refresh_ttl",
    ),
    ("[token]\naccess_ttl = \"0s\"", "token.access_ttl"),
    ("[server]\nlisten = \"not an address\"", "server.listen"),
    ("[server]\nlisten2 = \"127.0.0.1:1\"", "listen2"),
    (
        "[login]\nmode = \"headless\"\nheadless_user = \"nobody\"",
        "login.headless_user",
    ),
    ("[login]\nmode = \"sideways\"", "login.mode"),
    (
        "[[users]]\nuid = \"not-a-uuid\"\nnick = \"a\"\npassword = \"b\"",
        "users[0].uid",
    ),
    (
        "[[api_keys]]\nkey = \"k\"\nname = \"n\"\ndestinations = [\"ftp://x.test/\"]",
        "api_keys[0].destinations[0]",
    ),
    (
        "[[api_keys]]\nkey = \"k\"\nname = \"n\"\npermissions = [\"fly\"]",
        "api_keys",
    ),
];

#[tokio::test]
async fn a_bad_config_file_is_refused_at_start_with_a_message_naming_the_file_and_the_key() {
    for (contents, key) in BAD_CONFIGS {
        let dir = tempfile::tempdir().expect("a directory");
        let file = dir.path().join("bad.toml");
        let database = format!(
            "[database]\nurl = \"sqlite://{}/db.sqlite\"\n",
            dir.path().display()
        );
        std::fs::write(&file, format!("{database}{contents}\n")).expect("written");
        let file = file.display().to_string();

        let output = run(&["serve", "--config", &file], &[]).await;

        let stderr = output.stderr;
        assert_eq!(output.code, Some(1), "{key}: exit code; stderr: {stderr}");
        assert!(stderr.contains(&file), "{key}: the file is named: {stderr}");
        assert!(stderr.contains(key), "{key}: the key is named: {stderr}");
        assert!(!stderr.contains("panicked"), "{key}: no panic: {stderr}");
    }
}

#[tokio::test]
async fn a_config_file_that_is_missing_or_not_toml_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().expect("a directory");
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[server\nlisten = ").expect("written");
    let missing = dir.path().join("missing.toml");
    for file in [broken, missing] {
        let file = file.display().to_string();

        let output = run(&["serve", "--config", &file], &[]).await;

        let stderr = output.stderr;
        assert_eq!(output.code, Some(1), "{file}: {stderr}");
        assert!(stderr.contains(&file), "{file} is named: {stderr}");
        assert!(!stderr.contains("panicked"), "{file}: no panic: {stderr}");
    }
}

#[tokio::test]
async fn a_bad_environment_override_is_refused_naming_the_variable() {
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("config.toml");
    std::fs::write(&file, Setup::default().toml("127.0.0.1:0", dir.path())).expect("written");
    let file = file.display().to_string();
    let env = [("UITID_EMULATOR__TOKEN__ACCESS_TTL", "forever".to_owned())];

    let output = run(&["serve", "--config", &file], &env).await;

    let stderr = output.stderr;
    assert_eq!(output.code, Some(1), "{stderr}");
    assert!(
        stderr.contains("UITID_EMULATOR__TOKEN__ACCESS_TTL"),
        "{stderr}"
    );
}
