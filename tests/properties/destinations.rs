//! `docs/protocol.md#destinations`, `docs/reliability.md#open-redirects`: whatever the
//! destination and the allow-list, the check never panics, and tokens only ever go to loopback,
//! `oob` or a place an entry names. Judged on the redirect target, read with the independent
//! `oracle` (that is what the browser follows), and on the destination as the client wrote it.

use std::net::Ipv6Addr;

use proptest::prelude::*;
use uitid_emulator::destination::{AllowedDestination, Destination};

use crate::oracle::{self, split};
use crate::support::config;
use crate::urls::{destination, destination_and_allow_list};

pub const BASE: &str = "http://localhost:8080";

/// The allow-list entries the configuration would accept.
pub fn parsed(entries: &[String]) -> Vec<AllowedDestination> {
    entries
        .iter()
        .filter_map(|e| AllowedDestination::parse(e).ok())
        .collect()
}

/// `(scheme, host, port, path)` of an absolute URL, read with the oracle; host and scheme in
/// lower case, the port made explicit.
fn place(url: &str) -> (String, String, Option<u32>, String) {
    let parts = split(url);
    let scheme = parts.scheme.unwrap_or("").to_ascii_lowercase();
    let (_, host, port) = oracle::authority(parts.authority.unwrap_or(""));
    let port = oracle::effective_port(&scheme, port);
    (
        scheme,
        host.to_ascii_lowercase(),
        port,
        parts.path.to_owned(),
    )
}

/// Whether a redirect to `location` is one the rules allow: loopback, or an entry's place.
fn admitted(location: &str, allowed: &[AllowedDestination]) -> bool {
    let (_, host, _, _) = place(location);
    oracle::is_loopback(&host)
        || allowed.iter().any(|entry| match entry {
            AllowedDestination::Any => true,
            AllowedDestination::Exact(url) => place(url.as_str()) == place(location),
        })
}

/// Whether the host as the client wrote it is the host accepted, where the oracle can read it:
/// plain ASCII names, IPv4 numbers and IPv6 literals. Hosts that need IDNA or percent-decoding
/// are left to the URL parser (browsers read them the same way).
fn same_host(written: &str, accepted: &str) -> Option<bool> {
    let v6 = |h: &str| {
        h.strip_prefix('[')?
            .strip_suffix(']')?
            .parse::<Ipv6Addr>()
            .ok()
    };
    let plain = |h: &str| {
        h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    };
    if let Some(ip) = oracle::ipv4(written) {
        Some(accepted == ip.to_string())
    } else if let Some(ip) = v6(written) {
        Some(v6(accepted) == Some(ip))
    } else if !written.is_empty() && plain(written) {
        Some(accepted == written.to_ascii_lowercase())
    } else {
        None
    }
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn any_destination_is_checked_without_a_panic(
        raw in destination(),
        entries in prop::collection::vec(destination(), 0..3),
    ) {
        let _ = Destination::check(&raw, &parsed(&entries));
    }

    #[test]
    fn tokens_go_only_to_loopback_oob_or_an_allowed_place(
        (raw, entries) in destination_and_allow_list(),
    ) {
        let allowed = parsed(&entries);
        let Ok(destination) = Destination::check(&raw, &allowed) else { return Ok(()) };
        let location = destination.with_tokens(BASE, "J", None);
        if destination == Destination::Oob {
            prop_assert_eq!(raw.as_str(), "oob");
            prop_assert_eq!(location, format!("{BASE}/oob?jwt=J"));
            return Ok(());
        }
        let target = split(&location);
        let (userinfo, _, _) = oracle::authority(target.authority.unwrap_or(""));
        prop_assert!(matches!(target.scheme, Some("http" | "https")), "{location}");
        prop_assert!(userinfo.is_none() && target.fragment.is_none(), "{location}");
        prop_assert!(admitted(&location, &allowed), "{raw:?} sends tokens to {location}");
    }

    #[test]
    fn an_accepted_destination_names_the_host_an_independent_reading_finds(
        (raw, entries) in destination_and_allow_list(),
    ) {
        let Ok(Destination::Url(url)) = Destination::check(&raw, &parsed(&entries)) else {
            return Ok(());
        };
        let written = oracle::browser_slashes(&raw);
        let sent = split(&written);
        let (userinfo, host, port) = oracle::authority(sent.authority.unwrap_or(""));
        let (scheme, accepted_host, accepted_port, _) = place(url.as_str());
        prop_assert!(userinfo.is_none() && sent.fragment.is_none(), "{raw:?} became {url}");
        prop_assert_eq!(sent.scheme.map(str::to_ascii_lowercase), Some(scheme.clone()));
        prop_assert_eq!(oracle::effective_port(&scheme, port), accepted_port, "{}", raw);
        let same = same_host(host, &accepted_host);
        prop_assert!(same != Some(false), "{raw:?} became {url}");
    }
}
