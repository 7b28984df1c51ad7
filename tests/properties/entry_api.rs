//! `docs/protocol.md#entry-api-check`, `docs/reliability.md#hostile-input`: no token passes the
//! Entry API check unless it carries a true RS256 signature by a published key (judged by the
//! `rsa` crate in `tokens.rs`): not random text, not random JSON, and no mutation of a valid
//! token. Checked here on `verify::check`; `user.rs` sends the same tokens to `/user`.

use proptest::prelude::*;
use serde_json::{Map, Value};
use uitid_emulator::token::verify::{self, Refusal, VerifyingKey};

use crate::forge::resigned;
use crate::mutations::{member, mutation};
use crate::support::config;
use crate::tokens::{self, ISSUER, KID, b64, leaf, sign, truly_signed, valid_parts};

const NOW: i64 = 1_700_000_000;

fn check(token: &str) -> Result<Map<String, Value>, Refusal> {
    let (n, e) = tokens::components();
    let published = VerifyingKey::from_components(KID, &n, &e).expect("a key");
    verify::check(token, &[published], &[ISSUER.to_owned()], NOW)
}

/// Random text, random base64url parts, and random JSON under headers close to a real one
/// with a signature of the right length or not.
fn arbitrary_token() -> impl Strategy<Value = String> {
    let json = leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,4}|alg|kid|crit|exp|iss|uid", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let header = prop::collection::btree_map("alg|kid|typ|crit", leaf(), 0..3);
    let signature = prop_oneof![Just(256usize), 0usize..300]
        .prop_flat_map(|n| prop::collection::vec(any::<u8>(), n));
    prop_oneof![
        any::<String>(),
        "[A-Za-z0-9_.=-]{0,80}",
        (header, json, signature).prop_map(|(mut h, p, s)| {
            h.entry("alg".into()).or_insert("RS256".into());
            format!(
                "{}.{}.{}",
                b64(Value::Object(h.into_iter().collect()).to_string()),
                b64(p.to_string()),
                b64(s)
            )
        }),
    ]
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn a_valid_token_passes((header, payload) in valid_parts(NOW)) {
        let token = sign(&header, &payload);
        prop_assert!(truly_signed(&token));
        prop_assert!(check(&token).is_ok(), "{header} {payload}");
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn no_mutation_of_a_valid_token_passes(
        (header, payload) in valid_parts(NOW),
        mutation in mutation(),
    ) {
        let token = sign(&header, &payload);
        let forged = mutation.apply(&token, &header, &payload);
        prop_assume!(forged != token, "the mutation changed nothing");
        prop_assert!(check(&forged).is_err(), "{mutation:?} passed: {forged}");
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// Policy rather than signature: another `alg`, a `kid` not published, any `crit`.
    #[test]
    fn a_refused_header_is_refused_even_when_truly_signed(
        (header, payload) in valid_parts(NOW),
        (name, value) in member(),
    ) {
        let forged = resigned(&header, &payload, &name, &value);
        prop_assert!(check(&forged).is_err(), "{forged}");
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn no_token_passes_without_a_true_signature(token in arbitrary_token()) {
        prop_assert!(check(&token).is_err() || truly_signed(&token), "{token}");
    }
}
