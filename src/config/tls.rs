//! `server.tls` and its companions (`docs/tls.md`): which mode, and the checks that refuse a
//! configuration the server could not serve, naming the key. A `files` configuration is read
//! here already, so `config check` and a start fail alike on a bad certificate or key.

use std::collections::HashSet;
use std::net::IpAddr;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::ServerSettings;

/// Where the server's certificate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// Plain HTTP.
    Off,
    /// `tls_cert_file` and `tls_key_file`.
    Files,
    /// A local CA and a certificate for `tls_hostnames`, made once and kept in the database.
    SelfSigned,
}

impl TlsMode {
    /// The value as written in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Files => "files",
            Self::SelfSigned => "self-signed",
        }
    }
}

impl ServerSettings {
    /// `tls` as set; unset, `files` when both files are set, else `off`.
    pub fn tls_mode(&self) -> TlsMode {
        match self.tls {
            Some(mode) => mode,
            None if self.has_tls_files() => TlsMode::Files,
            None => TlsMode::Off,
        }
    }

    /// Whether the server speaks HTTPS.
    pub fn serves_tls(&self) -> bool {
        self.tls_mode() != TlsMode::Off
    }

    fn has_tls_files(&self) -> bool {
        !self.tls_cert_file.trim().is_empty() && !self.tls_key_file.trim().is_empty()
    }

    pub(super) fn validate_tls(&self) -> Result<(), String> {
        let (cert, key) = (self.tls_cert_file.trim(), self.tls_key_file.trim());
        let any_file = !cert.is_empty() || !key.is_empty();
        match self.tls_mode() {
            TlsMode::Off if any_file && self.tls.is_some() => Err(
                "key `server.tls`: \"off\", yet `server.tls_cert_file` or `server.tls_key_file` \
                 is set; set tls = \"files\" to serve them, or leave them empty"
                    .into(),
            ),
            TlsMode::Off if any_file => Err(
                "keys `server.tls_cert_file` and `server.tls_key_file`: set both (TLS from \
                 files) or neither"
                    .into(),
            ),
            TlsMode::Off => Ok(()),
            TlsMode::Files => check_files(cert, key),
            TlsMode::SelfSigned if any_file => Err(
                "key `server.tls`: \"self-signed\" makes its own certificate, yet \
                 `server.tls_cert_file` or `server.tls_key_file` is set; use one or the other"
                    .into(),
            ),
            TlsMode::SelfSigned => check_hostnames(&self.tls_hostnames),
        }
    }
}

fn check_files(cert: &str, key: &str) -> Result<(), String> {
    for (name, value) in [("tls_cert_file", cert), ("tls_key_file", key)] {
        if value.is_empty() {
            return Err(format!(
                "key `server.{name}`: must be set when server.tls = \"files\""
            ));
        }
    }
    let chain = crate::tls::read_certificates(Path::new(cert))
        .map_err(|why| format!("key `server.tls_cert_file`: {why}"))?;
    let private_key = crate::tls::read_private_key(Path::new(key))
        .map_err(|why| format!("key `server.tls_key_file`: {why}"))?;
    crate::tls::Identity::new(chain, private_key)
        .map(drop)
        .map_err(|why| format!("keys `server.tls_cert_file` and `server.tls_key_file`: {why}"))
}

fn check_hostnames(hostnames: &[String]) -> Result<(), String> {
    if hostnames.is_empty() {
        return Err(
            "key `server.tls_hostnames`: must list at least one name when server.tls = \
             \"self-signed\""
                .into(),
        );
    }
    let mut seen = HashSet::new();
    for (i, name) in hostnames.iter().enumerate() {
        if !is_hostname(name) && name.parse::<IpAddr>().is_err() {
            return Err(format!(
                "key `server.tls_hostnames[{i}]`: {name:?} is neither a hostname (such as \
                 account-test.uitid.be or *.example.test) nor an IP address"
            ));
        }
        if !seen.insert(name.to_ascii_lowercase()) {
            return Err(format!(
                "key `server.tls_hostnames[{i}]`: {name:?} is listed twice"
            ));
        }
    }
    Ok(())
}

/// A DNS name a certificate can hold: dot-separated labels of letters, digits and inner
/// hyphens, at most 253 characters, the first label possibly the wildcard `*`.
fn is_hostname(name: &str) -> bool {
    let labels = name.strip_prefix("*.").unwrap_or(name);
    name.len() <= 253
        && labels.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}
