//! JWTs taken apart and checked by hand: RSASSA-PKCS1-v1_5 with SHA-256 from the `rsa` crate,
//! keys read from the served `/public.pem` or rebuilt from a JWK's `n` and `e`. Nothing here
//! uses the emulator's own token code, so a bug there cannot hide a bug in the tests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde_json::Value;
use sha2::Sha256;

/// The v1 header (`docs/protocol.md#v1-tokens`), byte for byte.
pub const V1_HEADER: &str = r#"{"typ":"JWT","alg":"RS256"}"#;

/// A JWT split into its parts; the header and payload are kept as the exact JSON text, so
/// member order and escaping can be asserted.
#[derive(Debug, Clone)]
pub struct Jwt {
    pub header: String,
    pub payload: String,
    pub signature: Vec<u8>,
    signing_input: String,
}

impl Jwt {
    pub fn parse(token: &str) -> Self {
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(
            parts.len(),
            3,
            "a JWS in compact form has three parts: {token}"
        );
        let text = |part: &str| {
            let bytes = URL_SAFE_NO_PAD.decode(part).expect("unpadded base64url");
            String::from_utf8(bytes).expect("UTF-8 JSON")
        };
        Self {
            header: text(parts[0]),
            payload: text(parts[1]),
            signing_input: format!("{}.{}", parts[0], parts[1]),
            signature: URL_SAFE_NO_PAD
                .decode(parts[2])
                .expect("an unpadded base64url signature"),
        }
    }

    pub fn claims(&self) -> Value {
        serde_json::from_str(&self.payload).expect("the payload is JSON")
    }

    pub fn claim_i64(&self, name: &str) -> i64 {
        self.claims()[name]
            .as_i64()
            .unwrap_or_else(|| panic!("{name} is an integer"))
    }

    /// Whether the signature is a valid RS256 signature of `header.payload` under `key`.
    pub fn verifies_with(&self, key: &RsaPublicKey) -> bool {
        let Ok(signature) = Signature::try_from(self.signature.as_slice()) else {
            return false;
        };
        VerifyingKey::<Sha256>::new(key.clone())
            .verify(self.signing_input.as_bytes(), &signature)
            .is_ok()
    }

    /// The same token with one payload byte changed and the original signature.
    pub fn tampered(token: &str) -> String {
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut payload = URL_SAFE_NO_PAD.decode(&parts[1]).expect("base64url");
        payload[2] ^= 0x01;
        parts[1] = URL_SAFE_NO_PAD.encode(payload);
        parts.join(".")
    }
}

/// The key served as `/public.pem` (SubjectPublicKeyInfo PEM).
pub fn key_from_pem(pem: &str) -> RsaPublicKey {
    RsaPublicKey::from_public_key_pem(pem).expect("/public.pem is an RSA public key in PEM")
}

/// The key rebuilt from a JWK's `n` and `e` (RFC 7518 section 6.3.1).
pub fn key_from_jwk(jwk: &Value) -> RsaPublicKey {
    let number = |member: &str| {
        let text = jwk[member]
            .as_str()
            .unwrap_or_else(|| panic!("the JWK has {member}"));
        BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(text).expect("base64url"))
    };
    RsaPublicKey::new(number("n"), number("e")).expect("a usable RSA public key")
}

/// Unix seconds on the wall clock, to compare `iat`, `exp` and the emulator's clock with.
pub fn unix_now() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.expect("after 1970").as_secs() as i64
}

/// The top-level member names of a JSON object, in wire order (`serde_json::Value` does not
/// promise to keep it, so this reads the text with a visitor instead).
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
