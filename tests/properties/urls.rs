//! Strategies for nasty URL-ish strings (`docs/reliability.md#open-redirects`): built from
//! pieces that have confused URL parsers before (schemes, userinfo, `\`, `%xx` valid and not,
//! IDN and lookalike hosts, IPv4 and IPv6 literals in odd forms, ports, dot segments, token
//! parameters, fragments), sometimes with a control or whitespace character slipped in, and
//! some fully arbitrary text. Allow-lists are built from the same pieces so that they match.

use proptest::prelude::*;
use proptest::sample::select;

#[rustfmt::skip]
const STARTS: &[&str] = &[
    "http://", "https://", "HTTPS://", "hTtP://", "https:///", "http:", "https:/", "http:\\\\",
    "//", "", "ftp://", "javascript:", "data:text/html,", "http://http://",
];
#[rustfmt::skip]
const USERINFO: &[&str] = &[
    "@", "user@", "user:pw@", ":@", "app.test@", "localhost@", "127.0.0.1:80@", "a%40b@",
    "app.test%2F@", "@@",
];
#[rustfmt::skip]
const HOSTS: &[&str] = &[
    "app.test", "APP.Test", "app.test.", "app.test.evil.test", "evilapp.test", "evil.test",
    "аpp.test", "ａｐｐ.test", "bücher.test", "xn--bcher-kva.test", "%61pp.test", "app%2etest",
    "localhost", "LocalHost", "localhost.", "localhost.evil.test", "localhost%2eevil.test",
    "127.0.0.1", "127.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433", "127.255.255.254",
    "128.0.0.1", "0.0.0.0", "10.0.0.1", "192.168.1.1", "[::1]", "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]", "[2001:db8::1]", "[::1", "::1", "", "1.2.3.4.5", "0x", "09.1",
    "localhost:80@evil.test",
];
#[rustfmt::skip]
const PORTS: &[&str] = &[
    ":", ":0", ":80", ":443", ":8080", ":0443", ":65535", ":65536", ":-1", ":x", ":443:443",
];
#[rustfmt::skip]
const SEGMENTS: &[&str] = &[
    "", "cb", "CB", "..", ".", "%2e", "%2E%2e", ".%2e", "%2f", "cb%", "%zz", "é", "@evil.test",
    "evil.test", "%00", "cb;x", "~", "\"", "<", "%C0%AF",
];
#[rustfmt::skip]
const NAMES: &[&str] = &[
    "x", "state", "jwt", "refresh", "JWT", "%6Awt", "jw%74", "jwt+", "%6a%77%74", "re%66resh",
    "refresh%00", "", "a+b", "é", "'", "\"", "<>", "%FF", "%", "jwt[]",
];
#[rustfmt::skip]
const VALUES: &[&str] = &["", "1", "attacker", "a=b", "%20", "+", "é", "'", "%FF", "?", "/", "%"];
#[rustfmt::skip]
const NOISE: &[&str] = &[
    " ", "\t", "\n", "\r", "\0", "\x7f", "\u{85}", "\u{a0}", "\u{2028}", "\u{feff}", "\\",
];

/// A URL-ish string in its pieces (scheme and separator, userinfo, host, port, path; then
/// query and fragment), so an allow-list entry can share some of them.
#[derive(Clone, Debug)]
struct Pieces([String; 5], String);

impl Pieces {
    /// Scheme to path: what an allow-list entry names.
    fn place(&self) -> String {
        self.0.concat()
    }

    fn text(&self) -> String {
        self.place() + &self.1
    }
}

/// A destination as a client might send it.
pub fn destination() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => pieces().prop_map(|p| p.text()),
        2 => (pieces(), select(NOISE), any::<prop::sample::Index>())
            .prop_map(|(p, noise, at)| insert(&p.text(), noise, at)),
        1 => any::<String>(),
        1 => "[ -~]{0,40}",
    ]
}

/// A destination and an allow-list that often nearly admits it: besides `*` and unrelated
/// entries, one that takes each of scheme, host, port and path from the destination or not, in
/// either case; the configuration's own parse decides which entries count.
pub fn destination_and_allow_list() -> impl Strategy<Value = (String, Vec<String>)> {
    let entry = prop_oneof![Just("*".to_owned()), pieces().prop_map(|p| p.place())];
    let entries = prop::collection::vec(entry, 0..3);
    (pieces(), pieces(), entries, any::<[bool; 5]>()).prop_map(|(sent, other, mut entries, own)| {
        // Scheme, host, port and path each from the destination or the other; no userinfo.
        let pick = |(&i, own): (&usize, bool)| {
            if own {
                sent.0[i].clone()
            } else {
                other.0[i].clone()
            }
        };
        let near: String = [0, 2, 3, 4].iter().zip(own).map(pick).collect();
        entries.push(if own[4] { near } else { near.to_uppercase() });
        (sent.text(), entries)
    })
}

fn pieces() -> impl Strategy<Value = Pieces> {
    let start = prop_oneof![6 => select(&STARTS[..2]), 3 => select(STARTS)];
    let userinfo = prop_oneof![8 => Just(""), 1 => select(USERINFO)];
    let host = prop_oneof![
        6 => select(HOSTS).prop_map(String::from),
        1 => "[a-zA-Z0-9.%-]{0,10}",
    ];
    let port = prop_oneof![
        3 => Just(String::new()),
        // The default ports written out, where a scheme mix-up would show.
        2 => select(&[":80", ":443"][..]).prop_map(String::from),
        1 => select(PORTS).prop_map(String::from),
        1 => (0u32..70000).prop_map(|p| format!(":{p}")),
    ];
    let path = prop::collection::vec(select(SEGMENTS), 0..4).prop_map(|s| match s.is_empty() {
        true => String::new(),
        false => format!("/{}", s.join("/")),
    });
    let query = prop::option::of(prop::collection::vec(parameter(), 0..5)).prop_map(|q| {
        q.map(|parts| format!("?{}", parts.join("&")))
            .unwrap_or_default()
    });
    let fragment = prop_oneof![8 => Just(""), 1 => select(&["#", "#frag", "#@evil.test"][..])];
    let place = (start, userinfo, host, port, path)
        .prop_map(|(s, u, h, p, path)| [s.to_owned(), u.to_owned(), h, p, path]);
    (place, query, fragment).prop_map(|(place, query, fragment)| Pieces(place, query + fragment))
}

fn parameter() -> impl Strategy<Value = String> {
    (
        select(NAMES),
        prop::option::of(select(VALUES)),
        any::<bool>(),
    )
        .prop_map(|(name, value, doubled)| {
            let part = value.map_or(name.to_owned(), |v| format!("{name}={v}"));
            if doubled { format!("&{part}") } else { part }
        })
}

fn insert(text: &str, noise: &str, at: prop::sample::Index) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let at = boundaries[at.index(boundaries.len())];
    [&text[..at], noise, &text[at..]].concat()
}
