//! The refusal paths of the Entry API check (`docs/protocol.md#entry-api-check`). Tokens are
//! signed here with the crate's own key type: what is under test is what the verifier
//! refuses, not how tokens are issued.

use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::*;
use crate::token::SigningKey;

const NOW: i64 = 1_700_000_000;
const ISSUER: &str = "http://culudb-jwt-provider.dev";
const UID: &str = "86a02c65-696d-4c16-a9b1-9e3bc8e6303c";

/// The published key. RSA key generation is slow: one per test binary.
fn key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate().expect("an RSA key"))
}

/// A key the verifier does not know.
fn other_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate().expect("an RSA key"))
}

fn check_now(token: &str) -> Result<Map<String, Value>, Refusal> {
    let jwk = &key().jwk;
    let published = VerifyingKey::from_components(&jwk.kid, &jwk.n, &jwk.e).unwrap();
    check(token, &[published], &[ISSUER.to_owned()], NOW)
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `header.payload.signature`, RS256-signed by `signer` whatever the header claims.
fn signed(header: &Value, claims: &Value, signer: &SigningKey) -> String {
    let input = format!("{}.{}", b64(header.to_string()), b64(claims.to_string()));
    let signature = signer.sign(input.as_bytes()).expect("signed");
    format!("{input}.{}", b64(signature))
}

fn v1_header() -> Value {
    json!({"typ": "JWT", "alg": "RS256"})
}

/// The claims of a valid v1 token issued at `NOW`.
fn claims() -> Value {
    json!({"iss": ISSUER, "uid": UID, "nick": "stiksels", "email": "", "iat": NOW,
        "exp": NOW + 3600, "nbf": NOW})
}

/// [`claims`] with `changes` applied; `null` removes a claim.
fn claims_with(changes: Value) -> Value {
    let mut claims = claims();
    let object = claims.as_object_mut().unwrap();
    for (name, value) in changes.as_object().expect("an object of changes") {
        match value {
            Value::Null => object.remove(name),
            value => object.insert(name.clone(), value.clone()),
        };
    }
    claims
}

/// A token with `changes` to the valid claims, signed by the published key.
fn valid_but(changes: Value) -> String {
    signed(&v1_header(), &claims_with(changes), key())
}

fn assert_cases(cases: Vec<(String, Result<(), Refusal>, &str)>) {
    for (token, expected, case) in cases {
        assert_eq!(check_now(&token).map(|_| ()), expected, "{case}");
    }
}

/// Each case changes the valid claims, signed by the published key.
fn assert_changed_claims(cases: Vec<(Value, Result<(), Refusal>, &str)>) {
    let cases = cases
        .into_iter()
        .map(|(changes, expected, case)| (valid_but(changes), expected, case))
        .collect();
    assert_cases(cases);
}

#[test]
fn a_token_that_is_not_three_base64url_parts_of_json_objects_is_not_a_jwt() {
    let token = signed(&v1_header(), &claims(), key());
    let [header, payload, signature]: [&str; 3] =
        token.split('.').collect::<Vec<_>>().try_into().unwrap();
    #[rustfmt::skip]
    let cases = [
        (String::new(), "empty"),
        ("garbage".to_owned(), "one part"),
        (format!("{header}.{payload}"), "two parts"),
        (format!("{token}.{signature}"), "four parts"),
        (format!("{header}!.{payload}.{signature}"), "a header that is not base64url"),
        (format!("{header}.{payload}*.{signature}"), "a payload that is not base64url"),
        (format!("{header}.{payload}.{signature}="), "a padded signature"),
        (format!("{}.{payload}.{signature}", b64("not json")), "a header that is not JSON"),
        (format!("{}.{payload}.{signature}", b64(r#"["RS256"]"#)), "a header array"),
        (format!("{header}.{}.{signature}", b64(r#""uid""#)), "a payload string"),
        (format!("{header}.{}.{signature}", b64("42")), "a payload number"),
    ];
    let cases = cases
        .into_iter()
        .map(|(token, case)| (token, Err(Refusal::NotAJwt), case))
        .collect();
    assert_cases(cases);
}

#[test]
fn only_an_rs256_signature_by_a_published_key_with_a_matching_kid_passes() {
    let hs256 = {
        let header = json!({"typ": "JWT", "alg": "HS256"});
        let input = format!("{}.{}", b64(header.to_string()), b64(claims().to_string()));
        // The classic confusion attack: the public key used as an HMAC secret.
        let mut mac = Hmac::<Sha256>::new_from_slice(key().public_pem.as_bytes()).unwrap();
        mac.update(input.as_bytes());
        format!("{input}.{}", b64(mac.finalize().into_bytes()))
    };
    let none = json!({"typ": "JWT", "alg": "none"});
    let unsigned = format!("{}.{}.", b64(none.to_string()), b64(claims().to_string()));
    let tampered = {
        let token = signed(&v1_header(), &claims(), key());
        let parts: Vec<&str> = token.split('.').collect();
        let forged = b64(claims_with(json!({"nick": "admin"})).to_string());
        format!("{}.{forged}.{}", parts[0], parts[2])
    };
    let with = |header: Value, signer| signed(&header, &claims(), signer);
    let own_kid = json!({"alg": "RS256", "typ": "JWT", "kid": key().kid});
    let bad = Err(Refusal::BadSignature);
    #[rustfmt::skip]
    let cases = vec![
        (unsigned, bad, "alg none, no signature"),
        (hs256, bad, "HS256 keyed with the public key"),
        (with(json!({"typ": "JWT"}), key()), bad, "no alg"),
        (with(json!({"alg": "rs256"}), key()), bad, "alg in lower case"),
        (with(json!({"alg": "RS256", "kid": "elsewhere"}), key()), bad, "a good signature, but a kid no published key has"),
        (with(v1_header(), other_key()), bad, "another key, no kid"),
        (with(own_kid.clone(), other_key()), bad, "another key naming the published kid"),
        (tampered, bad, "claims changed after signing"),
        (with(own_kid, key()), Ok(()), "the published key naming its kid"),
        (with(v1_header(), key()), Ok(()), "the published key without a kid (v1)"),
    ];
    assert_cases(cases);
}

#[test]
fn exp_and_nbf_are_checked_against_the_emulator_clock_with_30_seconds_of_leeway() {
    let expired = Err(Refusal::Expired);
    #[rustfmt::skip]
    let cases = vec![
        (json!({"exp": NOW - 3600}), expired, "expired an hour ago"),
        (json!({"exp": NOW - LEEWAY_SECONDS - 1}), expired, "expired 31 s ago"),
        (json!({"exp": NOW - LEEWAY_SECONDS}), Ok(()), "expired 30 s ago: within the leeway"),
        (json!({"exp": NOW}), Ok(()), "expiring now"),
        (json!({"nbf": NOW + LEEWAY_SECONDS + 1}), expired, "usable in 31 s"),
        (json!({"nbf": NOW + LEEWAY_SECONDS}), Ok(()), "usable in 30 s: within the leeway"),
        (json!({"nbf": null}), Ok(()), "no nbf"),
        (json!({"exp": i64::MAX}), Ok(()), "the largest exp: no overflow"),
        (json!({"exp": i64::MIN}), expired, "the smallest exp"),
        (json!({"nbf": i64::MAX}), expired, "the largest nbf"),
        (json!({"nbf": i64::MIN}), Ok(()), "the smallest nbf"),
    ];
    assert_changed_claims(cases);
}

#[test]
fn the_issuer_must_be_an_accepted_one() {
    let bad = Err(Refusal::BadIssuer);
    #[rustfmt::skip]
    let cases = vec![
        (json!({"iss": "https://account.uitid.be"}), bad, "unknown"),
        (json!({"iss": format!("{ISSUER}/")}), bad, "an accepted one with a trailing slash"),
        (json!({"iss": null}), bad, "missing"),
        (json!({"iss": 1}), bad, "not a string"),
        (json!({}), Ok(()), "accepted"),
    ];
    assert_changed_claims(cases);
}

#[test]
fn exp_and_the_subject_claim_of_the_tokens_kind_are_required() {
    let missing = Err(Refusal::MissingClaims);
    let without_uid = |claims: Value| {
        let mut changes = claims;
        changes["uid"] = Value::Null;
        changes
    };
    #[rustfmt::skip]
    let cases = vec![
        (json!({"exp": null}), missing, "no exp"),
        (json!({"uid": ""}), missing, "v1: an empty uid"),
        (json!({"uid": 42}), missing, "v1: a uid that is not a string"),
        (json!({"uid": "", "sub": UID}), missing, "v1: an empty uid next to a sub"),
        (without_uid(json!({})), missing, "no uid: a user access token without sub"),
        (without_uid(json!({"https://publiq.be/uitidv1id": UID})), missing, "uitidv1id is no sub"),
        (without_uid(json!({"typ": "ID", "sub": ""})), missing, "an id_token with an empty sub"),
        (without_uid(json!({"gty": "client-credentials", "sub": 7})), missing, "a client token whose sub is a number"),
        (without_uid(json!({"sub": UID})), Ok(()), "a user access token with sub"),
        (without_uid(json!({"typ": "ID", "sub": UID})), Ok(()), "an id_token with sub"),
        (without_uid(json!({"gty": "client-credentials", "sub": "c@clients"})), Ok(()), "a client token with sub"),
    ];
    assert_changed_claims(cases);
}

#[test]
fn the_first_failing_check_in_upstreams_order_decides_the_refusal() {
    let expired_elsewhere = json!({"exp": NOW - 3600, "iss": "https://elsewhere.test"});
    let forged = signed(
        &v1_header(),
        &claims_with(expired_elsewhere.clone()),
        other_key(),
    );
    let elsewhere_without_exp = json!({"iss": "https://elsewhere.test", "exp": null});
    #[rustfmt::skip]
    let cases = vec![
        (forged, Err(Refusal::BadSignature), "the signature before the time"),
        (valid_but(expired_elsewhere), Err(Refusal::Expired), "the time before the issuer"),
        (valid_but(elsewhere_without_exp), Err(Refusal::BadIssuer), "the issuer before the required claims"),
    ];
    assert_cases(cases);
}

#[test]
fn an_accepted_token_yields_exactly_its_claims() {
    let token = signed(&v1_header(), &claims(), key());

    let checked = check_now(&token).expect("accepted");

    assert_eq!(Value::Object(checked), claims());
}
