//! JWTs taken apart, forged, signed and verified by hand with the `rsa` and `hmac` crates,
//! never with the emulator's own token code.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::Value;
use sha2::Sha256;
use uitid_emulator::testing::TestServer;

/// The v1 header (PROTOCOL.md 5.1).
pub const V1_HEADER: &str = r#"{"typ":"JWT","alg":"RS256"}"#;

/// A JWT's header and payload JSON text and its signature bytes.
pub fn parts(jwt: &str) -> (String, String, Vec<u8>) {
    let pieces: Vec<&str> = jwt.split('.').collect();
    assert_eq!(pieces.len(), 3, "a compact JWS: {jwt}");
    let bytes = |piece: &str| URL_SAFE_NO_PAD.decode(piece).expect("unpadded base64url");
    let text = |piece: &str| String::from_utf8(bytes(piece)).expect("UTF-8 JSON");
    (text(pieces[0]), text(pieces[1]), bytes(pieces[2]))
}

pub fn claims(jwt: &str) -> Value {
    serde_json::from_str(&parts(jwt).1).expect("a JSON payload")
}

/// `header.payload` of JSON texts, base64url-encoded, unsigned.
pub fn signing_input(header: &str, payload: &str) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    )
}

/// The server's own signing key, to sign hand-made tokens the server should accept.
pub fn signing_key(server: &TestServer) -> RsaPrivateKey {
    let pem = &server.emulator().tokens.active_key().private_pem;
    RsaPrivateKey::from_pkcs8_pem(pem).expect("a PKCS#8 RSA key")
}

/// An RS256 JWT of these JSON texts signed with `key`.
pub fn sign_rs256(key: &RsaPrivateKey, header: &str, payload: &str) -> String {
    let key = key.clone();
    let input = signing_input(header, payload);
    let signature = SigningKey::<Sha256>::new(key).sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// Checks an RS256 signature against a JWK's `n` and `e`.
pub fn verify_rs256(jwt: &str, jwk: &Value) -> Result<(), rsa::signature::Error> {
    let number = |name: &str| {
        let text = jwk[name].as_str().expect("a base64url JWK member");
        BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(text).expect("base64url"))
    };
    let key = RsaPublicKey::new(number("n"), number("e")).expect("an RSA public key");
    let (input, signature) = jwt.rsplit_once('.').expect("a signature part");
    let signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
    let signature = Signature::try_from(signature.as_slice())?;
    VerifyingKey::<Sha256>::new(key).verify(input.as_bytes(), &signature)
}

/// The top-level member names of a JSON object, in wire order.
pub fn member_names(json: &str) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Names {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(NamesVisitor)
        }
    }
    struct NamesVisitor;
    impl<'de> serde::de::Visitor<'de> for NamesVisitor {
        type Value = Names;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Names, A::Error> {
            let mut names = Vec::new();
            while let Some((name, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
                names.push(name);
            }
            Ok(Names(names))
        }
    }
    serde_json::from_str::<Names>(json)
        .expect("a JSON object")
        .0
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

/// An RSA key the server has never seen; generated once per test process.
pub fn unknown_key() -> RsaPrivateKey {
    static KEY: std::sync::OnceLock<RsaPrivateKey> = std::sync::OnceLock::new();
    let generate = || RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("a new key");
    KEY.get_or_init(generate).clone()
}
