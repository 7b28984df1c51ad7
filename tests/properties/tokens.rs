//! Tokens for the Entry API check's properties: valid ones signed with the test servers'
//! shared key by the `rsa` crate (never by the emulator's token code), the mutations a forger
//! might try, and an independent verifier to say which tokens truly carry a valid signature.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value, json};
use sha2::Sha256;

/// An accepted issuer (`docs/protocol.md#entry-api-check`, check 6).
pub const ISSUER: &str = "http://culudb-jwt-provider.dev";
/// The `kid` the properties publish the key under.
pub const KID: &str = "prop-kid";

/// The key every test server of this process signs with; generated once per process.
pub fn key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let pem = uitid_emulator::testing::shared_test_key().expect("the shared test key");
        RsaPrivateKey::from_pkcs8_pem(pem).expect("a PKCS#8 RSA key")
    })
}

/// The public key as a JWK's `n` and `e`, base64url.
pub fn components() -> (String, String) {
    let public = key().to_public_key();
    let b64 = |n: &rsa::BigUint| URL_SAFE_NO_PAD.encode(n.to_bytes_be());
    (b64(public.n()), b64(public.e()))
}

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `header.payload.signature` of these JSON texts, RS256-signed with the shared key.
pub fn sign(header: &str, payload: &str) -> String {
    sign_with(key(), header, payload)
}

/// The same, signed with `key`.
pub fn sign_with(key: &RsaPrivateKey, header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(signature.to_bytes()))
}

/// Whether `token` passes an independent reading of checks 3 and 4: three parts, an `RS256`
/// header without `crit`, and an RS256 signature of the first two parts under the shared key.
pub fn truly_signed(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return false;
    };
    let decoded = |part: &str| URL_SAFE_NO_PAD.decode(part).ok();
    let header: Option<Map<String, Value>> =
        decoded(header).and_then(|h| serde_json::from_slice(&h).ok());
    let Some(header) = header else { return false };
    let signature = decoded(signature).and_then(|s| Signature::try_from(s.as_slice()).ok());
    let verifier = VerifyingKey::<Sha256>::new(key().to_public_key());
    header.get("alg") == Some(&json!("RS256"))
        && !header.contains_key("crit")
        && decoded(payload).is_some()
        && signature.is_some_and(|s| {
            let input = &token[..token.rfind('.').unwrap_or(0)];
            verifier.verify(input.as_bytes(), &s).is_ok()
        })
}

/// The JSON texts of a valid token issued at `now`: a v1 header (with our `kid` or none) and
/// claims that pass every check, with a few extra claims.
pub fn valid_parts(now: i64) -> impl Strategy<Value = (String, String)> {
    let header = prop_oneof![
        Just(json!({"typ": "JWT", "alg": "RS256"})),
        Just(json!({"alg": "RS256", "kid": KID, "typ": "JWT"})),
    ];
    let extra = prop::collection::btree_map("x_[a-z]{1,6}", leaf(), 0..3);
    let claims = ("[a-z0-9-]{1,36}", "\\PC{0,12}", 0i64..1_000_000, extra).prop_map(
        move |(uid, nick, ttl, extra)| {
            let mut claims = json!({"iss": ISSUER, "uid": uid, "nick": nick, "email": "",
                "iat": now, "exp": now + 60 + ttl, "nbf": now});
            claims.as_object_mut().unwrap().extend(extra);
            claims
        },
    );
    (header, claims).prop_map(|(h, c)| (h.to_string(), c.to_string()))
}

/// Any JSON value but an object or an array.
pub fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::from),
    ]
}
