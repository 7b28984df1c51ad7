//! `docs/tls.md`: the self-signed CA is made once per database, whichever server starts first,
//! and survives restarts; new hostnames get a new certificate from the same CA; `files` serves
//! the configured certificate; the healthcheck probes a TLS server; environment variables set
//! the TLS keys.

use std::path::Path;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use serde_json::Value;

use crate::support::*;

fn self_signed_for(hostnames: &[&str]) -> Setup {
    let names: Vec<String> = hostnames.iter().map(|h| format!("{h:?}")).collect();
    let server = format!(
        "[server]\ntls = \"self-signed\"\ntls_hostnames = [{}]",
        names.join(", ")
    );
    Setup::default().with_sections(&server)
}

/// What `app` presents for `host` to a client trusting `ca`, or the client's error.
async fn certificate_for(app: &TestApp, ca: &str, host: &str) -> Result<Vec<u8>, reqwest::Error> {
    let client = trusting_client(ca, &[host], app.socket_address());
    let response = client
        .get(format!("https://{host}/health/live"))
        .send()
        .await?;
    assert_eq!(response.status(), 200);
    Ok(served_certificate(&response))
}

#[tokio::test]
async fn the_ca_survives_a_restart_and_new_hostnames_get_a_new_certificate_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = self_signed_for(&["localhost", "a.test"])
        .spawn_in(dir.path())
        .await;
    let ca = app.ca_pem().expect("a CA");
    let first = certificate_for(&app, &ca, "a.test").await.unwrap();

    let app = app.restart().await;
    let after_restart = (
        app.ca_pem(),
        certificate_for(&app, &ca, "a.test").await.unwrap(),
    );
    drop(app.stop().await);
    let renamed = self_signed_for(&["localhost", "b.test"])
        .spawn_in(dir.path())
        .await;

    assert_eq!(
        after_restart,
        (Some(ca.clone()), first.clone()),
        "the same CA and certificate"
    );
    assert_eq!(
        renamed.ca_pem(),
        Some(ca.clone()),
        "the same CA for new hostnames"
    );
    let second = certificate_for(&renamed, &ca, "b.test")
        .await
        .expect("b.test is trusted");
    assert_ne!(second, first, "a new certificate");
    let old_name = certificate_for(&renamed, &ca, "a.test").await;
    assert!(old_name.is_err(), "a.test is no longer in it: {old_name:?}");
}

#[tokio::test]
async fn servers_cold_starting_together_on_one_empty_database_serve_one_ca() {
    let dir = tempfile::tempdir().unwrap();
    let setup = self_signed_for(&["localhost"]);

    let (first, second) = tokio::join!(
        setup.clone().spawn_in(dir.path()),
        setup.clone().spawn_in(dir.path())
    );

    let ca = first.ca_pem().expect("a CA");
    assert_eq!(second.ca_pem(), Some(ca.clone()), "one CA for both");
    let one = certificate_for(&first, &ca, "localhost")
        .await
        .expect("trusted");
    let other = certificate_for(&second, &ca, "localhost")
        .await
        .expect("trusted");
    assert_eq!(one, other, "and one certificate");
}

/// A CA and a certificate for `files.test` it issued, made with rcgen alone; the chain and key
/// written to `dir`. Answers the CA's PEM, the certificate's PEM and the two files.
fn files_in(dir: &Path) -> (String, String, String, String) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "files test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec!["files.test".to_owned()]).unwrap();
    let cert = params.signed_by(&key, &*ca).unwrap();
    let (chain, key_file) = (dir.join("chain.pem"), dir.join("key.pem"));
    std::fs::write(&chain, format!("{}{}", cert.pem(), ca.pem())).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();
    let path = |p: &Path| p.display().to_string();
    (ca.pem(), cert.pem(), path(&chain), path(&key_file))
}

#[tokio::test]
async fn with_certificate_files_the_server_presents_that_certificate_and_has_no_ca_to_serve() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, chain, key) = files_in(dir.path());
    let files = format!("[server]\ntls_cert_file = {chain:?}\ntls_key_file = {key:?}");
    let app = Setup::default().with_sections(&files).spawn().await;

    let presented = certificate_for(&app, &ca, "files.test").await;
    let ca_pem = send(unverifying_client().get(app.url("/_emulator/ca.pem"))).await;

    assert_eq!(
        presented.expect("trusted through the test CA"),
        der_of(&cert)
    );
    assert_eq!(ca_pem.status(), 404);
    let body: Value = ca_pem.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("tls_cert_file"),
        "{body}"
    );
    assert_eq!(app.ca_pem(), None);
}

#[tokio::test]
async fn the_healthcheck_probes_a_tls_server_by_url_and_from_the_settings() {
    let app = self_signed_for(&["localhost"]).spawn().await;
    let listen = app.socket_address().to_string();
    let env = [
        ("UITID_EMULATOR__SERVER__LISTEN", listen),
        ("UITID_EMULATOR__SERVER__TLS", "self-signed".to_owned()),
    ];

    let by_url = run(&["healthcheck", "--url", &app.url("/health/ready")], &[]).await;
    let from_settings = run(&["healthcheck"], &env).await;
    let cleartext = app.url("/health/ready").replace("https:", "http:");
    let wrong_scheme = run(&["healthcheck", "--url", &cleartext], &[]).await;

    assert_eq!(by_url.code, Some(0), "{}", by_url.stderr);
    assert_eq!(from_settings.code, Some(0), "{}", from_settings.stderr);
    assert_eq!(
        wrong_scheme.code,
        Some(1),
        "plain HTTP to a TLS port: {}",
        wrong_scheme.stdout
    );
}

#[tokio::test]
async fn environment_variables_set_the_tls_keys_and_are_validated_like_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("emulator.toml");
    std::fs::write(&file, "[server]\nlisten = \"127.0.0.1:0\"\n").unwrap();
    let file = file.to_str().unwrap();
    let env = |hostnames: &str| {
        [
            ("UITID_EMULATOR__SERVER__TLS", "self-signed".to_owned()),
            (
                "UITID_EMULATOR__SERVER__TLS_HOSTNAMES",
                hostnames.to_owned(),
            ),
        ]
    };

    let valid = run(&["config", "check", file], &env("[\"a.test\", \"b.test\"]")).await;
    let invalid = run(&["config", "check", file], &env("[\"not a host\"]")).await;

    assert_eq!(valid.code, Some(0), "{}", valid.stderr);
    let out = &valid.stdout;
    assert!(out.contains("tls = \"self-signed\""), "{out}");
    assert!(
        out.contains("\"a.test\"") && out.contains("\"b.test\""),
        "{out}"
    );
    assert!(
        !out.contains("account-test.uitid.be"),
        "the list is replaced: {out}"
    );
    assert_ne!(invalid.code, Some(0));
    assert!(
        invalid.stderr.contains("server.tls_hostnames[0]"),
        "{}",
        invalid.stderr
    );
}
