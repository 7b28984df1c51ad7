//! The command line of the built binary (`docs/protocol.md#operations`): `--version`, `--help`,
//! `keygen`, `config check`, `mint`, `healthcheck` and `serve` stopped by SIGTERM.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::{RsaPrivateKey, RsaPublicKey};

use crate::support::*;

#[tokio::test]
async fn version_prints_the_name_and_the_crate_version() {
    let output = run(&["--version"], &[]).await;

    assert_eq!(output.code, Some(0));
    let expected = format!("uitid-emulator {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(output.stdout, expected);
}

#[tokio::test]
async fn help_lists_every_subcommand() {
    let output = run(&["--help"], &[]).await;

    assert_eq!(output.code, Some(0));
    let help = output.stdout;
    for subcommand in ["serve", "keygen", "mint", "healthcheck", "config"] {
        let listed = help
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{subcommand} ")));
        assert!(listed, "{subcommand} is listed in:\n{help}");
    }
}

#[tokio::test]
async fn keygen_writes_a_0600_pkcs8_key_prints_its_public_key_and_overwrites_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("signing-key.pem");
    let out_arg = out.to_str().unwrap();

    let first = run(&["keygen", "--out", out_arg], &[]).await;
    let written = std::fs::read_to_string(&out).expect("the key file exists");
    let again = run(&["keygen", "--out", out_arg], &[]).await;
    let unchanged = std::fs::read_to_string(&out).unwrap();
    let forced = run(&["keygen", "--out", out_arg, "--force"], &[]).await;

    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let private = RsaPrivateKey::from_pkcs8_pem(&written).expect("a PKCS#8 PEM private key");
    let public = RsaPublicKey::from_public_key_pem(&first.stdout).expect("a public key PEM");
    assert_eq!(
        public,
        private.to_public_key(),
        "the printed key is its own"
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "only the owner may read the private key");
    assert_eq!(again.code, Some(1), "no overwrite without --force");
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(unchanged, written);
    assert_eq!(forced.code, Some(0), "{}", forced.stderr);
    assert_ne!(std::fs::read_to_string(&out).unwrap(), written, "replaced");
}

const SECRETS: [&str; 3] = ["pw-4c1d9e", "api-key-8b2f7a", "admin-token-51e0c3"];

fn config_with_secrets(dir: &Path) -> PathBuf {
    let [password, key, token] = SECRETS;
    let file = dir.join("staging.toml");
    let text = format!(
        r#"
[server]
listen = "0.0.0.0:8080"
[admin]
token = "{token}"
[[api_keys]]
key = "{key}"
name = "Staging app"
permissions = ["refresh"]
destinations = ["https://app.test/cb"]
[[users]]
uid = "0b3c0e3e-6a3c-4d84-9f2b-0c4e1f6c2a11"
nick = "alice"
email = "alice@example.com"
password = "{password}"
"#
    );
    std::fs::write(&file, text).unwrap();
    file
}

#[tokio::test]
async fn config_check_prints_the_effective_config_with_every_secret_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let file = config_with_secrets(dir.path());

    let output = run(&["config", "check", file.to_str().unwrap()], &[]).await;

    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let printed = output.stdout;
    for secret in SECRETS {
        assert!(!printed.contains(secret), "{secret} printed:\n{printed}");
    }
    let effective: toml::Value = toml::from_str(&printed).expect("the output is TOML");
    let redacted = Some("[redacted]");
    assert_eq!(effective["users"][0]["password"].as_str(), redacted);
    assert_eq!(effective["api_keys"][0]["key"].as_str(), redacted);
    assert_eq!(effective["admin"]["token"].as_str(), redacted);
    assert_eq!(effective["server"]["listen"].as_str(), Some("0.0.0.0:8080"));
    assert_eq!(effective["users"][0]["nick"].as_str(), Some("alice"));
}

/// `(file contents, the key the message must name)`.
const BAD_CONFIGS: &[(&str, &str)] = &[
    ("[token]\naccess_ttl = \"twelve hours\"", "token.access_ttl"),
    ("[server]\nlisten = \"not an address\"", "server.listen"),
    (
        "[server]\nmax_concurrent_requests = 0",
        "max_concurrent_requests",
    ),
];

#[tokio::test]
async fn config_check_of_a_bad_file_exits_1_naming_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (contents, key) in BAD_CONFIGS {
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, contents).unwrap();

        let output = run(&["config", "check", file.to_str().unwrap()], &[]).await;

        let message = output.stderr;
        assert_eq!(output.code, Some(1), "{key}: {message}");
        assert!(
            message.contains(file.to_str().unwrap()),
            "the file: {message}"
        );
        assert!(message.contains(key), "names {key}: {message}");
    }
}

#[tokio::test]
async fn mint_prints_tokens_from_the_configured_database_that_a_server_on_it_honours() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shared.db").display());
    let env = [("UITID_EMULATOR__DATABASE__URL", url)];
    let key = "sample-key-with-refresh";

    let minted = run(&["mint", "--user", "stiksels", "--api-key", key], &env).await;
    assert_eq!(minted.code, Some(0), "{}", minted.stderr);
    let printed = minted.stdout;
    let line = |name: &str| {
        let prefix = format!("{name}=");
        let value = printed.lines().find_map(|l| l.strip_prefix(&prefix));
        value
            .unwrap_or_else(|| panic!("{prefix} in {printed:?}"))
            .to_owned()
    };
    let (jwt, refresh) = (line("jwt"), line("refresh"));
    // The binary as a server on the same database: the signing key mint generated is there.
    let server = ServerProcess::start(dir.path(), None, &env).await;
    let get = |path: String| send(reqwest::Client::new().get(format!("{}{path}", server.base)));
    let query = form_query(&[("apiKey", key), ("refresh", &refresh)]);
    let refreshed = get(format!("/refresh?{query}")).await;
    let status = refreshed.status();
    let new_jwt = text(refreshed).await;
    let public_key = key_from_pem(&text(get("/public.pem".into()).await).await);

    assert_eq!(status, 200, "{new_jwt}; {}", server.logs());
    let (minted, renewed) = (Jwt::parse(&jwt), Jwt::parse(&new_jwt));
    assert!(minted.verifies_with(&public_key), "the minted JWT verifies");
    assert!(
        renewed.verifies_with(&public_key),
        "so does the refreshed one"
    );
    assert_eq!(
        renewed.claims()["uid"],
        minted.claims()["uid"],
        "the same user"
    );
    assert!(server.terminate().await.status.success());
}

/// `mint --user --client` (the embedded sample's client): a user access token, an id_token with
/// `--scope openid`, and a rotating refresh token that a server on the database rotates.
#[tokio::test]
async fn mint_for_a_user_and_a_client_prints_a_rotating_refresh_token() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shared.db").display());
    let env = [("UITID_EMULATOR__DATABASE__URL", url)];
    let client = "5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11";
    let args = [
        "mint", "--user", "stiksels", "--client", client, "--scope", "openid", "--json",
    ];

    let minted = run(&args, &env).await;
    assert_eq!(minted.code, Some(0), "{}", minted.stderr);
    let printed: serde_json::Value = serde_json::from_str(&minted.stdout).expect("JSON");
    let access = Jwt::parse(printed["jwt"].as_str().unwrap()).claims();
    assert_eq!(access["azp"], client);
    assert_eq!(access["aud"], serde_json::json!(["https://api.publiq.be"]));
    let id_token = Jwt::parse(printed["id_token"].as_str().unwrap()).claims();
    assert_eq!(
        (id_token["typ"].as_str(), id_token["aud"].as_str()),
        (Some("ID"), Some(client))
    );
    let refresh = printed["refresh"].as_str().unwrap().to_owned();
    let server = ServerProcess::start(dir.path(), None, &env).await;
    let refresh_with = |token: String| {
        let url = format!("{}/realms/uitid/protocol/openid-connect/token", server.base);
        let form = [
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", token),
        ];
        send(
            reqwest::Client::new()
                .post(url)
                .basic_auth(client, Some("sampleclientsecret"))
                .form(&form),
        )
    };
    let first = refresh_with(refresh.clone()).await;
    assert_eq!(first.status(), 200, "{}", server.logs());
    let answer: serde_json::Value = first.json().await.unwrap();
    assert_ne!(
        answer["refresh_token"].as_str(),
        Some(refresh.as_str()),
        "it rotated"
    );
    assert_eq!(
        refresh_with(refresh).await.status(),
        400,
        "the used one is dead"
    );
    assert!(server.terminate().await.status.success());
}

#[tokio::test]
async fn healthcheck_exits_0_for_a_ready_server_and_1_after_it_stopped_on_sigterm_with_exit_0() {
    let (dir, config) = server_dir(&Setup::default());
    let server = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    let ready_url = format!("{}/health/ready", server.base);
    let port = format!("127.0.0.1:{}", server.port);
    let listen = [("UITID_EMULATOR__SERVER__LISTEN", port)];
    let config_arg = config.to_str().unwrap();

    let by_url = run(&["healthcheck", "--url", &ready_url], &[]).await;
    let from_config = run(&["--config", config_arg, "healthcheck"], &listen).await;
    let stopped = server.terminate().await.status;
    let after_stop = run(&["healthcheck", "--url", &ready_url], &[]).await;

    assert_eq!(by_url.code, Some(0), "{}", by_url.stderr);
    assert_eq!(from_config.code, Some(0), "{}", from_config.stderr);
    assert_eq!(stopped.code(), Some(0), "serve exits 0 on SIGTERM");
    assert_eq!(after_stop.code, Some(1), "a closed port is unhealthy");
    let message = after_stop.stderr;
    assert!(message.contains("cannot connect"), "{message}");
}
