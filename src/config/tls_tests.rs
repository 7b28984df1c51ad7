//! `server.tls` and its companions (`docs/tls.md`): which mode a configuration means, and a
//! message naming the key for each configuration the server could not serve. Certificates for
//! the `files` cases are made with the emulator's own CA code, in a temporary directory.

use std::path::Path;

use super::tests::valid_but;
use super::{TlsMode, settings_from_toml};
use crate::tls::{issue_leaf, new_authority};

/// A certificate and its key in `dir`, plus a second certificate of another key.
fn write_files(dir: &Path) -> [String; 4] {
    let ca = new_authority(1_700_000_000).unwrap();
    let names = ["app.test".to_owned()];
    let [first, second] = [0, 1].map(|_| issue_leaf(&ca.key_pem, &names, 1_700_000_000).unwrap());
    let files = [
        ("cert.pem", &first.cert_pem),
        ("key.pem", &first.key_pem),
        ("other-cert.pem", &second.cert_pem),
        ("garbage.pem", &"not a PEM file".to_owned()),
    ];
    files.map(|(name, text)| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    })
}

fn server(lines: &str) -> String {
    valid_but(&format!("[server]\n{lines}"))
}

#[test]
fn tls_is_off_by_default_files_when_both_files_are_set_and_self_signed_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let [cert, key, ..] = write_files(dir.path());
    let files = format!("tls_cert_file = {cert:?}\ntls_key_file = {key:?}");
    let cases = [
        (String::new(), TlsMode::Off, "nothing set"),
        ("tls = \"off\"".to_owned(), TlsMode::Off, "off"),
        (files.clone(), TlsMode::Files, "both files, tls unset"),
        (format!("tls = \"files\"\n{files}"), TlsMode::Files, "files"),
        (
            "tls = \"self-signed\"".into(),
            TlsMode::SelfSigned,
            "self-signed, default names",
        ),
        (
            "tls = \"self-signed\"\ntls_hostnames = [\"*.app.test\", \"192.0.2.7\", \"::1\"]"
                .into(),
            TlsMode::SelfSigned,
            "a wildcard and IP addresses",
        ),
    ];
    for (lines, mode, case) in cases {
        let settings =
            settings_from_toml(&server(&lines)).unwrap_or_else(|e| panic!("{case}: {e}"));

        assert_eq!(settings.server.tls_mode(), mode, "{case}");
    }
    let defaults = settings_from_toml(&server("")).unwrap();
    assert_eq!(
        defaults.server.tls_hostnames,
        [
            "account-test.uitid.be",
            "io-test.uitdatabank.be",
            "localhost"
        ]
    );
}

#[test]
fn each_tls_rule_refuses_with_a_message_naming_the_key_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let [cert, key, other, garbage] = write_files(dir.path());
    let missing = dir.path().join("missing.pem").display().to_string();
    let files = |c: &str, k: &str| format!("tls_cert_file = {c:?}\ntls_key_file = {k:?}");
    let both = "`server.tls_cert_file` and `server.tls_key_file`";
    #[rustfmt::skip]
    let cases = [
        ("tls = \"https\"".to_owned(), "`server.tls`", "unknown variant", "an unknown mode"),
        ("tls = \"files\"".to_owned(), "`server.tls_cert_file`", "must be set", "files without files"),
        (format!("tls = \"files\"\ntls_cert_file = {cert:?}"), "`server.tls_key_file`", "must be set", "files without a key"),
        (format!("tls_cert_file = {cert:?}"), both, "set both", "one file only"),
        (format!("tls = \"off\"\n{}", files(&cert, &key)), "`server.tls`", "\"off\"", "off, yet files"),
        (files(&missing, &key), "`server.tls_cert_file`", "cannot be read", "a missing certificate file"),
        (files(&garbage, &key), "`server.tls_cert_file`", "no PEM CERTIFICATE", "a certificate file without PEM"),
        (files(&cert, &missing), "`server.tls_key_file`", "cannot be read", "a missing key file"),
        (files(&cert, &cert), "`server.tls_key_file`", "no PEM private key", "a certificate as the key"),
        (files(&other, &key), both, "not the key of the certificate", "a key of another certificate"),
        (format!("tls = \"self-signed\"\n{}", files(&cert, &key)), "`server.tls`", "one or the other", "self-signed and files"),
        ("tls = \"self-signed\"\ntls_hostnames = []".into(), "`server.tls_hostnames`", "at least one", "no hostnames"),
        ("tls = \"self-signed\"\ntls_hostnames = [\"a.test\", \"not a host\"]".into(), "`server.tls_hostnames[1]`", "neither a hostname", "a space"),
        ("tls = \"self-signed\"\ntls_hostnames = [\"https://a.test\"]".into(), "`server.tls_hostnames[0]`", "neither a hostname", "a URL"),
        ("tls = \"self-signed\"\ntls_hostnames = [\"-a.test\"]".into(), "`server.tls_hostnames[0]`", "neither a hostname", "a leading hyphen"),
        ("tls = \"self-signed\"\ntls_hostnames = [\"a..test\"]".into(), "`server.tls_hostnames[0]`", "neither a hostname", "an empty label"),
        ("tls = \"self-signed\"\ntls_hostnames = [\"a.*.test\"]".into(), "`server.tls_hostnames[0]`", "neither a hostname", "an inner wildcard"),
        ("tls = \"self-signed\"\ntls_hostnames = [\"a.test\", \"b.test\", \"A.test\"]".into(), "`server.tls_hostnames[2]`", "listed twice", "a name twice"),
    ];
    for (lines, key, problem, case) in cases {
        let refused = settings_from_toml(&server(&lines)).map(|_| ());

        let message = refused.expect_err(case).0;
        assert!(message.contains(key), "{case}: {message}");
        assert!(message.contains(problem), "{case}: {message}");
    }
}
