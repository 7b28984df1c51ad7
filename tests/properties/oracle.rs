//! An independent reading of URLs to judge the code under test by: RFC 3986's split (appendix
//! B), default ports, loopback read with `std::net`, the WHATWG IPv4 number forms and query
//! percent-encode set. Nothing here calls `url`, so a bug there cannot hide behind the same bug
//! here.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The five components of a URI reference (RFC 3986 appendix B).
pub struct Uri<'a> {
    pub scheme: Option<&'a str>,
    pub authority: Option<&'a str>,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

/// `^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?`, by hand.
pub fn split(text: &str) -> Uri<'_> {
    let (rest, fragment) = cut(text, '#');
    let (rest, query) = cut(rest, '?');
    let (scheme, rest) = match rest.find([':', '/']) {
        Some(i) if i > 0 && rest[i..].starts_with(':') => (Some(&rest[..i]), &rest[i + 1..]),
        _ => (None, rest),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            (Some(&after[..end]), &after[end..])
        }
        None => (None, rest),
    };
    Uri {
        scheme,
        authority,
        path,
        query,
        fragment,
    }
}

/// For http(s) a browser skips any number of slashes before the authority (WHATWG's "special
/// authority ignore slashes" state), so `https:///app.test/` names `app.test`: the same text with
/// exactly two, for [`split`] to read it as a browser does.
pub fn browser_slashes(text: &str) -> String {
    match text.split_once(':') {
        Some((scheme, rest))
            if ["http", "https"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme)) =>
        {
            format!("{scheme}://{}", rest.trim_start_matches('/'))
        }
        _ => text.to_owned(),
    }
}

fn cut(text: &str, at: char) -> (&str, Option<&str>) {
    match text.split_once(at) {
        Some((before, after)) => (before, Some(after)),
        None => (text, None),
    }
}

/// `userinfo@host:port`: the host after the last `@`, a bracketed IPv6 literal kept whole.
pub fn authority(text: &str) -> (Option<&str>, &str, Option<&str>) {
    let (userinfo, host_port) = match text.rfind('@') {
        Some(i) => (Some(&text[..i]), &text[i + 1..]),
        None => (None, text),
    };
    let port_at = match host_port.rfind(']') {
        Some(end) if host_port.starts_with('[') => host_port[end..].find(':').map(|i| end + i),
        _ => host_port.rfind(':'),
    };
    match port_at {
        Some(i) => (userinfo, &host_port[..i], Some(&host_port[i + 1..])),
        None => (userinfo, host_port, None),
    }
}

/// The port a client connects to: the given digits, else the scheme's default.
pub fn effective_port(scheme: &str, port: Option<&str>) -> Option<u32> {
    match port.filter(|p| !p.is_empty()) {
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => digits.parse().ok(),
        Some(_) => None,
        None => match scheme.to_ascii_lowercase().as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        },
    }
}

/// `localhost`, 127/8 or `[::1]`, read with `std::net` (docs/protocol.md#destinations).
pub fn is_loopback(host: &str) -> bool {
    let v6 = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || v6
            .and_then(|h| h.parse::<Ipv6Addr>().ok())
            .is_some_and(|ip| ip.is_loopback())
}

/// A host written as an IPv4 number in any form browsers accept (`127.1`, `0x7f.0.0.1`,
/// `0177.0.0.1`, `2130706433`), or `None` when one part is not a number.
pub fn ipv4(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<u64> = host.split('.').map(ipv4_number).collect::<Option<_>>()?;
    let (last, leading) = parts.split_last()?;
    if parts.len() > 4 || leading.iter().any(|&p| p > 255) || *last >= 1 << (8 * (5 - parts.len()))
    {
        return None;
    }
    let value = leading
        .iter()
        .enumerate()
        .fold(*last, |acc, (i, &p)| acc + (p << (8 * (3 - i))));
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

fn ipv4_number(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or(part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    match digits {
        "" if radix == 16 => Some(0),
        "" => None,
        _ if !digits.chars().all(|c| c.is_digit(radix)) => None,
        _ => u64::from_str_radix(digits, radix)
            .ok()
            .filter(|&n| n <= u32::MAX as u64),
    }
}

/// A query as a WHATWG URL serialises it for http(s): C0 controls, space, `"`, `#`, `<`, `>`,
/// `'` and everything beyond `~` percent-encoded, byte by byte; the rest (`%` too) as it is.
pub fn special_query_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            0x21..=0x7E if !b"\"#<>'".contains(&b) => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
