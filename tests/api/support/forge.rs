//! Hand-made JWTs for the Entry API check: re-signed, signed by a stranger, `alg: none`,
//! HS256 with the public key as secret, or with a signature made for something else. Signed
//! with the `rsa` and `hmac` crates, never with the emulator's own token code.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use sha2::Sha256;

use super::app::TestApp;

/// `header.payload` of JSON texts, base64url-encoded, unsigned.
fn signing_input(header: &str, payload: &str) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    )
}

/// The server's own signing key, to sign hand-made tokens the server should accept.
pub fn signing_key(server: &TestApp) -> RsaPrivateKey {
    let pem = &server.state().keys.active_private_pem();
    RsaPrivateKey::from_pkcs8_pem(pem).expect("a PKCS#8 RSA key")
}

/// An RSA key the server has never seen; generated once per test process because RSA key
/// generation is slow.
pub fn unknown_key() -> RsaPrivateKey {
    static KEY: std::sync::OnceLock<RsaPrivateKey> = std::sync::OnceLock::new();
    let generate = || RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("a new key");
    KEY.get_or_init(generate).clone()
}

/// An RS256 JWT of these JSON texts signed with `key`.
pub fn sign_rs256(key: &RsaPrivateKey, header: &str, payload: &str) -> String {
    let input = signing_input(header, payload);
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// `payload` under `alg: none`, with an empty signature.
pub fn alg_none(payload: &str) -> String {
    format!(
        "{}.",
        signing_input(r#"{"typ":"JWT","alg":"none"}"#, payload)
    )
}

/// `payload` as HS256 with `secret` as the HMAC key (the classic RS256/HS256 confusion).
pub fn hs256(payload: &str, secret: &[u8]) -> String {
    let input = signing_input(r#"{"typ":"JWT","alg":"HS256"}"#, payload);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{input}.{signature}")
}

/// These JSON texts with a signature made for something else.
pub fn with_signature(header: &str, payload: &str, signature: &[u8]) -> String {
    let signature = URL_SAFE_NO_PAD.encode(signature);
    format!("{}.{signature}", signing_input(header, payload))
}
