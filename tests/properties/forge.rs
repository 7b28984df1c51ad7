//! Tokens a forger makes without the private key's help, or with it under a header the check
//! must refuse. Signed with the `rsa` and `hmac` crates, never with the emulator's token code.

use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use rsa::RsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::tokens::{b64, key, sign, sign_with};

/// `header` with `name` set to `value` (member order kept).
pub fn with_member(header: &str, name: &str, value: &Value) -> String {
    let mut map: Map<String, Value> = serde_json::from_str(header).expect("a JSON header");
    map.insert(name.to_owned(), value.clone());
    Value::Object(map).to_string()
}

/// A token of these JSON texts with `name` set to `value` in the header, truly signed.
pub fn resigned(header: &str, payload: &str, name: &str, value: &Value) -> String {
    sign(&with_member(header, name, value), payload)
}

/// The same JSON texts signed with a key the check does not know.
pub fn foreign(header: &str, payload: &str) -> String {
    sign_with(foreign_key(), header, payload)
}

/// `payload_part` (base64url) as HS256 keyed with the public key's PEM: algorithm confusion.
pub fn hs256(payload_part: &str) -> String {
    let pem = key().to_public_key().to_public_key_pem(LineEnding::LF);
    let input = format!("{}.{payload_part}", b64(r#"{"typ":"JWT","alg":"HS256"}"#));
    let mut mac = Hmac::<Sha256>::new_from_slice(pem.expect("a PEM").as_bytes()).expect("a key");
    mac.update(input.as_bytes());
    format!("{input}.{}", b64(mac.finalize().into_bytes()))
}

/// Made by the emulator's key generator (fast); it only signs here, through the `rsa` crate.
fn foreign_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let pem = uitid_emulator::token::SigningKey::generate()
            .expect("a key")
            .private_pem;
        RsaPrivateKey::from_pkcs8_pem(&pem).expect("a PKCS#8 RSA key")
    })
}
