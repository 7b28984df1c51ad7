//! `docs/protocol.md#provider-routes`, strict parameters: any query string or form body is
//! parsed without a panic, and the parser accepts exactly the texts whose parts all decode to
//! UTF-8 with no name twice, each name then reading its own value (decoded by hand in `form.rs`).

use axum::http::StatusCode;
use axum::response::IntoResponse;
use proptest::prelude::*;
use proptest::sample::select;
use uitid_emulator::http::params::Params;

use crate::form;
use crate::support::config;

#[rustfmt::skip]
const PIECES: &[&str] = &[
    "a", "b", "apiKey", "destination", "%61", "+", "%20", "%2B", "=", "==", "%3D", "%26", "%",
    "%Z", "%FF", "%C3", "%C3%A9", "%C0%AF", "%00", "é", "😀", "%F0%9F%98%80", "%e2%82", "\u{0}",
    " ",
];

/// Form-encoded text: pieces that decode well and badly, joined by `&` and `=`, or anything.
fn form_text() -> impl Strategy<Value = String> {
    let part = prop::collection::vec(
        prop_oneof![select(PIECES).prop_map(String::from), "[a-c]"],
        0..5,
    )
    .prop_map(|pieces| pieces.concat());
    prop_oneof![
        4 => prop::collection::vec(part, 0..6).prop_map(|parts| parts.join("&")),
        1 => any::<String>(),
    ]
}

/// The pairs a strict parser must find in `raw`, or `None` when it must refuse it: a part that
/// does not decode to UTF-8, or a name given twice.
fn expected(raw: &str) -> Option<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in raw.split('&').filter(|part| !part.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let (name, value) = (form::decode(name)?, form::decode(value)?);
        if pairs.iter().any(|(seen, _)| *seen == name) {
            return None;
        }
        pairs.push((name, value));
    }
    Some(pairs)
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn the_parser_accepts_exactly_unique_utf8_names(raw in form_text()) {
        match (Params::parse(&raw), expected(&raw)) {
            (Ok(params), Some(pairs)) => {
                for (name, value) in &pairs {
                    prop_assert_eq!(params.get(name), Some(value.as_str()), "{:?}", raw);
                }
            }
            (Err(refusal), None) => {
                prop_assert_eq!(refusal.into_response().status(), StatusCode::BAD_REQUEST);
            }
            (Ok(_), None) => prop_assert!(false, "{raw:?} was accepted"),
            (Err(_), Some(_)) => prop_assert!(false, "{raw:?} was refused"),
        }
    }
}
