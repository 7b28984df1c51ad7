//! Which certificate the server presents (`docs/tls.md`): none, the configured files, or the
//! self-signed material kept in the database (`tls_material.rs`); and the CA certificate
//! clients trust in the self-signed case (`GET /_emulator/ca.pem`).

use std::path::Path;

use anyhow::Context as _;

use super::Context;
use super::tls_material;
use crate::config::TlsMode;
use crate::error::ControlError;
use crate::tls::{Identity, read_certificates, read_private_key};

/// Loaded once at start: the server's TLS identity, and the CA certificate when it is ours.
pub struct TlsService {
    mode: TlsMode,
    identity: Option<Identity>,
    ca_pem: Option<String>,
}

impl TlsService {
    pub(crate) async fn load(ctx: &Context) -> anyhow::Result<Self> {
        let server = &ctx.settings.server;
        let mode = server.tls_mode();
        let (identity, ca_pem) = match mode {
            TlsMode::Off => (None, None),
            TlsMode::Files => (
                Some(from_files(&server.tls_cert_file, &server.tls_key_file)?),
                None,
            ),
            TlsMode::SelfSigned => {
                let now = crate::clock::wall_seconds();
                let stored = tls_material::load(&ctx.store, &server.tls_hostnames, now).await?;
                let identity = Identity::from_pem(&stored.leaf.cert_pem, &stored.leaf.key_pem)
                    .map_err(anyhow::Error::msg)
                    .context("the server certificate in the database is not usable")?;
                (Some(identity), Some(stored.ca_cert_pem))
            }
        };
        Ok(Self {
            mode,
            identity,
            ca_pem,
        })
    }

    /// What the server presents; `None`: plain HTTP.
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    /// The PEM certificate of the local CA that issued the server's certificate; a 404 when
    /// the emulator has none (no TLS, or a certificate from files).
    pub fn ca_pem(&self) -> Result<&str, ControlError> {
        let message = match (&self.ca_pem, self.mode) {
            (Some(pem), _) => return Ok(pem),
            (None, TlsMode::Files) => {
                "the server's certificate comes from server.tls_cert_file: the emulator holds \
                 no CA of its own; trust the CA that issued that certificate"
            }
            (None, _) => {
                "the server does not serve TLS; set server.tls = \"self-signed\" for a local CA"
            }
        };
        Err(ControlError::NotFound {
            field: None,
            message: message.into(),
        })
    }
}

/// The configured files, read again at start (validation read them once already).
fn from_files(cert: &str, key: &str) -> anyhow::Result<Identity> {
    let chain = read_certificates(Path::new(cert.trim())).map_err(anyhow::Error::msg)?;
    let key = read_private_key(Path::new(key.trim())).map_err(anyhow::Error::msg)?;
    Identity::new(chain, key)
        .map_err(anyhow::Error::msg)
        .context("server.tls_cert_file and server.tls_key_file do not belong together")
}
