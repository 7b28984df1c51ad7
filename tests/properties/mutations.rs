//! What a forger might do to a valid token (`docs/reliability.md#hostile-input`): flip a bit
//! of any part, replace, cut or add characters, reorder, repeat or drop parts, change or add a
//! header member (`alg`, `kid`, `crit`, ...), re-encode a part with padding or the standard
//! alphabet, re-sign with another key or as HS256 keyed with the public key, or re-sign with
//! the real key under a header the check must refuse.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Value, json};

use crate::forge;
use crate::tokens::{KID, b64, leaf};

/// Other algorithms, and near misses of `RS256` a lenient comparison would let through.
#[rustfmt::skip]
const ALGS: &[&str] = &[
    "none", "None", "HS256", "RS384", "RS512", "PS256", "ES256", "", "rs256", "Rs256", "RS256 ",
    " RS256", "RS256\0", "RS 256",
];
const ODD_CHARACTERS: &[&str] = &["=", "+", "/", ".", " ", "é", "\0"];
const APPENDED: &[&str] = &[".", "=", "A", ".e30", "\n"];

#[derive(Debug, Clone)]
pub enum Mutation {
    /// One bit of the decoded header (0), payload (1) or signature (2), encoded again.
    FlipBit(usize, Index, u8),
    Replace(Index, char),
    Truncate(Index),
    Append(String),
    /// The parts in this order (indices into header, payload, signature).
    Parts(Vec<usize>),
    /// A header member set, the original signature kept.
    Header(String, Value),
    /// A header member set the check must refuse, validly signed with the real key.
    Resigned(String, Value),
    /// A part's text padded with `=`, or in the standard alphabet (same bytes).
    Reencoded(usize, bool),
    /// The same header and payload signed with a key the check does not know.
    Foreign,
    /// HS256 keyed with the public key's PEM, the classic algorithm confusion.
    Hs256,
}

/// Header members a forger might try; `kid` values never name the published key.
pub fn member() -> impl Strategy<Value = (String, Value)> {
    let named = |name: &'static str| move |value: Value| (name.to_owned(), value);
    prop_oneof![
        select(ALGS).prop_map(Value::from).prop_map(named("alg")),
        leaf().prop_map(named("alg")),
        Just(json!(["RS256"])).prop_map(named("alg")),
        "[a-z0-9-]{0,12}"
            .prop_filter("not ours", |k| k != KID)
            .prop_map(Value::from)
            .prop_map(named("kid")),
        select(vec![
            json!([]),
            json!(["exp"]),
            json!(["b64"]),
            json!("exp")
        ])
        .prop_map(named("crit")),
    ]
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    use Mutation::*;
    let character =
        prop_oneof![4 => "[A-Za-z0-9_-]", 1 => select(ODD_CHARACTERS).prop_map(String::from)]
            .prop_map(|c| c.chars().next().expect("one character"));
    let any_member = (prop_oneof![Just("typ".to_owned()), "[a-z]{1,4}"], leaf());
    prop_oneof![
        4 => (0usize..3, any::<Index>(), 0u8..8).prop_map(|(p, i, b)| FlipBit(p, i, b)),
        2 => (any::<Index>(), character).prop_map(|(i, c)| Replace(i, c)),
        1 => any::<Index>().prop_map(Truncate),
        1 => select(APPENDED).prop_map(|s| Append(s.to_owned())),
        2 => prop::collection::vec(0usize..3, 1..5).prop_map(Parts),
        2 => any_member.prop_map(|(n, v)| Header(n, v)),
        2 => member().prop_map(|(n, v)| Header(n, v)),
        3 => member().prop_map(|(n, v)| Resigned(n, v)),
        1 => (0usize..3, any::<bool>()).prop_map(|(p, s)| Reencoded(p, s)),
        1 => Just(Foreign),
        1 => Just(Hs256),
    ]
}

impl Mutation {
    /// `token` (signed from the JSON texts `header` and `payload`) as the forger changes it.
    pub fn apply(&self, token: &str, header: &str, payload: &str) -> String {
        let parts: Vec<&str> = token.split('.').collect();
        let at = |i: &Index, text: &str| {
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            bounds[i.index(bounds.len())]
        };
        match self {
            Self::FlipBit(part, i, bit) => {
                let mut bytes = URL_SAFE_NO_PAD.decode(parts[*part]).unwrap_or_default();
                if bytes.is_empty() {
                    return token.to_owned();
                }
                let i = i.index(bytes.len());
                bytes[i] ^= 1 << bit;
                let mut parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
                parts[*part] = b64(bytes);
                parts.join(".")
            }
            Self::Replace(i, c) => {
                let start = at(i, token);
                let end = token[start..]
                    .chars()
                    .next()
                    .map_or(start, |old| start + old.len_utf8());
                format!("{}{c}{}", &token[..start], &token[end..])
            }
            Self::Truncate(i) => token[..at(i, token)].to_owned(),
            Self::Append(text) => format!("{token}{text}"),
            Self::Parts(order) => order
                .iter()
                .map(|&i| parts[i])
                .collect::<Vec<_>>()
                .join("."),
            Self::Header(name, value) => {
                let header = b64(forge::with_member(header, name, value));
                format!("{header}.{}.{}", parts[1], parts[2])
            }
            Self::Resigned(name, value) => forge::resigned(header, payload, name, value),
            Self::Reencoded(part, padded) => {
                let text = parts[*part];
                let changed = match padded {
                    true => format!("{text}{}", "=".repeat((4 - text.len() % 4) % 4)),
                    false => text.replace('-', "+").replace('_', "/"),
                };
                let mut parts = parts.clone();
                parts[*part] = &changed;
                parts.join(".")
            }
            Self::Foreign => forge::foreign(header, payload),
            Self::Hs256 => forge::hs256(parts[1]),
        }
    }
}
