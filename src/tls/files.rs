//! `server.tls_cert_file` and `server.tls_key_file`: PEM files the operator provides. The
//! errors say what is wrong with the file; the caller names the setting.

use std::path::Path;

use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Every `CERTIFICATE` block of the file, in order: the server's certificate first, then the
/// intermediates, as web servers expect them.
pub fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read(path)?;
    let chain = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| not_pem(path, &e))?;
    if chain.is_empty() {
        return Err(format!("{} holds no PEM CERTIFICATE block", path.display()));
    }
    Ok(chain)
}

/// The first private key of the file: PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or
/// SEC1 (`EC PRIVATE KEY`).
pub fn read_private_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    let bytes = read(path)?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| match e {
        pem::Error::NoItemsFound => format!(
            "{} holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)",
            path.display()
        ),
        other => not_pem(path, &other),
    })
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{} cannot be read ({e})", path.display()))
}

fn not_pem(path: &Path, error: &pem::Error) -> String {
    format!("{} is not valid PEM ({})", path.display(), describe(error))
}

/// pem's own messages print the offending lines as byte lists.
pub(super) fn describe(error: &pem::Error) -> String {
    match error {
        pem::Error::MissingSectionEnd { .. } => "a block has no END line".into(),
        pem::Error::IllegalSectionStart { .. } => "a BEGIN line is malformed".into(),
        pem::Error::Base64Decode(e) => format!("bad base64: {e}"),
        other => other.to_string(),
    }
}
