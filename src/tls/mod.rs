//! TLS material, without HTTP or SQL (`docs/tls.md`): a configured certificate and key read from
//! PEM files (`files.rs`), and the local CA with the server certificates it issues
//! (`authority.rs`). `server/` serves an [`Identity`]; `service/tls.rs` keeps the CA in the
//! database.

mod authority;
mod files;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;

pub use authority::{Authority, Leaf, issue_leaf, new_authority, san_names};
pub use files::{read_certificates, read_private_key};

/// The one crypto provider for every TLS use (aws-lc-rs, as the JWT signer uses).
pub fn provider() -> CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

/// What the server presents: its certificate chain (its own certificate first) and the private
/// key of that certificate. No `Debug`: it holds a private key.
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

impl Identity {
    /// A chain and key that belong together; the error says why they do not (an unsupported
    /// key, a certificate that does not parse, or a key of another certificate).
    pub fn new(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Result<Self, String> {
        if chain.is_empty() {
            return Err("no certificate".into());
        }
        CertifiedKey::from_der(chain.clone(), key.clone_key(), &provider()).map_err(
            |e| match e {
                rustls::Error::InconsistentKeys(_) => {
                    "the private key is not the key of the certificate".to_owned()
                }
                other => other.to_string(),
            },
        )?;
        Ok(Self { chain, key })
    }

    /// A server certificate and its key, both PEM (as the database keeps them).
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Self, String> {
        let chain = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("the certificate is not PEM ({})", files::describe(&e)))?;
        let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())
            .map_err(|e| format!("the private key is not PEM ({})", files::describe(&e)))?;
        Self::new(chain, key)
    }
}

impl Clone for Identity {
    fn clone(&self) -> Self {
        Self {
            chain: self.chain.clone(),
            key: self.key.clone_key(),
        }
    }
}
