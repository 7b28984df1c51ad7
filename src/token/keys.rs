//! RSA signing keys (`docs/protocol.md#keys`): loaded from PEM or generated, parsed once into an
//! aws-lc key pair so signing never re-parses DER, and published as PEM and JWK.

use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde::Serialize;

/// Smallest modulus accepted, in bits (RFC 8725 section 3.5, RFC 7518 section 3.3).
pub const MIN_RSA_BITS: usize = 2048;

/// A private key ready to sign, with its public forms precomputed.
pub struct SigningKey {
    pub kid: String,
    pair: RsaKeyPair,
    rng: SystemRandom,
    /// PKCS#8 PEM of the private key, for storing a generated key.
    pub private_pem: String,
    /// SubjectPublicKeyInfo PEM, what `/public.pem` serves.
    pub public_pem: String,
    pub jwk: Jwk,
}

/// The public members of an RSA JWK (RFC 7517); never a private one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Jwk {
    pub kty: &'static str,
    #[serde(rename = "use")]
    pub use_: &'static str,
    pub alg: &'static str,
    pub kid: String,
    pub n: String,
    pub e: String,
}

impl SigningKey {
    /// Generates a fresh RSA-2048 key. CPU-heavy: call it off the async workers.
    pub fn generate() -> anyhow::Result<Self> {
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, MIN_RSA_BITS)?;
        Self::from_rsa(key)
    }

    /// Reads a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM.
    pub fn from_pem(pem: &str) -> anyhow::Result<Self> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|_| anyhow::anyhow!("not an RSA private key in PKCS#8 or PKCS#1 PEM"))?;
        Self::from_rsa(key)
    }

    fn from_rsa(key: RsaPrivateKey) -> anyhow::Result<Self> {
        let bits = key.size() * 8;
        anyhow::ensure!(
            bits >= MIN_RSA_BITS,
            "RSA key has {bits} bits; at least {MIN_RSA_BITS} required"
        );
        let der = key.to_pkcs8_der()?;
        let pair = RsaKeyPair::from_pkcs8(der.as_bytes())
            .map_err(|e| anyhow::anyhow!("key rejected by aws-lc: {e}"))?;
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        let kid = thumbprint(&n, &e);
        Ok(Self {
            jwk: Jwk {
                kty: "RSA",
                use_: "sig",
                alg: "RS256",
                kid: kid.clone(),
                n,
                e,
            },
            kid,
            pair,
            rng: SystemRandom::new(),
            private_pem: key.to_pkcs8_pem(LineEnding::LF)?.to_string(),
            public_pem: key.to_public_key().to_public_key_pem(LineEnding::LF)?,
        })
    }

    /// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `message`.
    pub fn sign(&self, message: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut signature = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(&RSA_PKCS1_SHA256, &self.rng, message, &mut signature)
            .map_err(|_| anyhow::anyhow!("RSA signing failed"))?;
        Ok(signature)
    }
}

/// RFC 7638 JWK thumbprint: a stable `kid` derived from the public key alone.
fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    URL_SAFE_NO_PAD.encode(digest(&SHA256, canonical.as_bytes()))
}
