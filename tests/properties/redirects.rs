//! `docs/protocol.md#login`: the redirect carrying the tokens is the accepted destination with
//! its query kept in order and byte for byte (as a WHATWG URL writes it), minus any `jwt` or
//! `refresh` the client sent, then one `jwt` and at most one `refresh`. Judged with the
//! independent `oracle` and `form`.

use proptest::prelude::*;
use uitid_emulator::destination::{AllowedDestination, Destination};

use crate::destinations::{BASE, parsed};
use crate::form;
use crate::oracle::{self, split};
use crate::support::config;
use crate::urls::destination_and_allow_list;

/// Issued tokens are base64url and dots (`docs/protocol.md#login`).
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.-]{1,24}"
}

/// The name of a `name=value` part as a client reads it (bytes that are not UTF-8 can never
/// spell `jwt` or `refresh`, so they count as no name).
fn name_of(part: &str) -> String {
    form::decode(part.split('=').next().unwrap_or("")).unwrap_or_default()
}

/// The query parts the redirect must carry for the destination `raw`.
fn expected_query(raw: &str, jwt: &str, refresh: Option<&str>) -> Vec<String> {
    let sent = if raw == "oob" { None } else { split(raw).query };
    let mut parts: Vec<String> = sent
        .unwrap_or("")
        .split('&')
        .filter(|part| !part.is_empty() && !matches!(name_of(part).as_str(), "jwt" | "refresh"))
        .map(oracle::special_query_encoded)
        .collect();
    parts.push(format!("jwt={jwt}"));
    parts.extend(refresh.map(|r| format!("refresh={r}")));
    parts
}

/// Only the characters RFC 3986 allows in a URI, and every `%` starts an escape: nothing a
/// header or a client's parser could read two ways.
fn well_formed(uri: &str) -> bool {
    let bytes = uri.as_bytes();
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b);
    let escape = |i: usize| {
        bytes
            .get(i + 1..i + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    };
    bytes
        .iter()
        .enumerate()
        .all(|(i, &b)| allowed(b) && (b != b'%' || escape(i)))
}

fn host_of(url: &str) -> String {
    oracle::authority(split(url).authority.unwrap_or(""))
        .1
        .to_owned()
}

/// RFC 3986's host: a bracketed literal, or unreserved characters, escapes and sub-delims.
/// WHATWG also lets `"`, `{`, `}` and `` ` `` through (`http:///"` is the host `"`).
fn rfc3986_host(host: &str) -> bool {
    let name = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b);
    host.starts_with('[') || host.bytes().all(name)
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn tokens_join_the_query_which_keeps_every_other_parameter_byte_for_byte(
        (raw, entries) in destination_and_allow_list(),
        jwt in token(),
        refresh in prop::option::of(token()),
    ) {
        let Ok(destination) = Destination::check(&raw, &parsed(&entries)) else { return Ok(()) };
        let location = destination.with_tokens(BASE, &jwt, refresh.as_deref());
        let query = split(&location).query.unwrap_or("");
        let parts: Vec<&str> = query.split('&').collect();
        prop_assert_eq!(&parts, &expected_query(&raw, &jwt, refresh.as_deref()), "{}", location);
        // As a client reads the names, decoded: one jwt, and one refresh or none.
        let named = |name: &str| parts.iter().filter(|p| name_of(p) == name).count();
        prop_assert_eq!((named("jwt"), named("refresh")), (1, usize::from(refresh.is_some())));
    }

    #[test]
    fn the_redirect_is_a_well_formed_uri((raw, entries) in destination_and_allow_list()) {
        let allowed = parsed(&entries);
        let Ok(destination) = Destination::check(&raw, &allowed) else { return Ok(()) };
        let location = destination.with_tokens(BASE, "J", Some("R"));
        let host = host_of(&location);
        prop_assert!(well_formed(&location.replacen(&host, "h", 1)), "{raw:?} became {location}");
        // Such a host gets past only an entry naming it, or `*`; loopback names are plain.
        let named = |e: &AllowedDestination| {
            matches!(e, AllowedDestination::Any) || host_of(&e.to_string()) == host
        };
        prop_assert!(rfc3986_host(&host) || allowed.iter().any(named), "{raw:?} became {location}");
    }

    #[test]
    fn the_redirect_keeps_the_accepted_scheme_host_port_and_path(
        (raw, entries) in destination_and_allow_list(),
    ) {
        let Ok(Destination::Url(url)) = Destination::check(&raw, &parsed(&entries)) else {
            return Ok(());
        };
        let location = Destination::Url(url.clone()).with_tokens(BASE, "J", Some("R"));
        let before_query = url.as_str().split('?').next().unwrap_or("");
        prop_assert!(location.starts_with(&format!("{before_query}?")), "{url} became {location}");
    }
}
