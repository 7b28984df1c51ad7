//! `docs/reliability.md#hostile-input`: any request head (headers with any name and any value
//! HTTP allows, a query, a form body, from any peer) sent to the provider routes and the Entry
//! API check is answered without a panic and without a 5xx. Driven through the whole router
//! in-process, with the real pipeline (`docs/architecture.md#one-request`).

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::request::Builder;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use proptest::prelude::*;
use proptest::sample::select;

use crate::support::run_with_server;

#[rustfmt::skip]
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/refresh"), ("GET", "/connect"), ("GET", "/culturefeed/oauth/connect"),
    ("GET", "/user"), ("GET", "/login"), ("POST", "/login"),
];
#[rustfmt::skip]
const NAMES: &[&str] = &[
    "x-api-key", "authorization", "cookie", "host", "content-type", "content-length", "origin",
    "sec-fetch-site", "x-forwarded-for", "accept", "accept-language", "transfer-encoding",
    "x-request-id", "referer", "expect", "connection",
];
#[rustfmt::skip]
const VALUES: &[&str] = &[
    "prop-key", "prop-key-anywhere", " prop-key ", "", "Bearer ", "Bearer a.b.c", "bearer x",
    "Bearer eyJhbGciOiJub25lIn0.e30.", "uitid_emulator_session=x; uitid_emulator_browser=y",
    "uitid_emulator_browser=", "=;=;", "application/x-www-form-urlencoded", "0", "-1",
    "18446744073709551616", "chunked", "100-continue", "same-site", "null", "127.0.0.1",
];
#[rustfmt::skip]
const QUERY: &[&str] = &[
    "apiKey=prop-key", "apiKey=prop-key-anywhere", "apiKey=", "destination=oob",
    "destination=https%3A%2F%2Fapp.test%2Fcb", "destination=http://localhost/cb", "refresh=x",
    "flow=x", "lang=fr", "%FF", "%", "=", "&", "a=1&a=2", "+",
];
#[rustfmt::skip]
const FORM: &[&str] = &[
    "flow=x", "csrf=y", "username=stiksels", "password=stiksels-secret", "action=login",
    "action=cancel", "%FF", "=", "&",
];

/// One request head and body, as bytes HTTP allows.
#[derive(Debug)]
struct Case {
    route: (&'static str, &'static str),
    query: Vec<String>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<String>,
    peer: SocketAddr,
}

/// Up to eight headers: names the routes read or a client may send, or any token; values
/// that mean something to them, or any bytes a field value may hold (tab, visible ASCII and
/// space, obs-text). Names repeat at times, so a header may come twice.
pub fn hostile_headers() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let name = prop_oneof![
        3 => select(NAMES).prop_map(String::from),
        1 => "[a-z0-9!#$%&'*+.^_`|~-]{1,12}",
    ];
    let byte = prop_oneof![Just(b'\t'), 0x20u8..=0x7e, 0x80u8..=0xff];
    let value = prop_oneof![
        select(VALUES).prop_map(|v| v.as_bytes().to_vec()),
        prop::collection::vec(byte, 0..40),
    ];
    prop::collection::vec((name, value), 0..8)
}

/// Any IPv4 or IPv6 client address.
pub fn peer() -> impl Strategy<Value = SocketAddr> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|ip| SocketAddr::from((ip, 50000))),
        any::<[u16; 8]>().prop_map(|ip| SocketAddr::from((ip, 50000))),
    ]
}

/// `request` with `headers` added (after any it has).
pub fn with_headers(mut request: Builder, headers: &[(String, Vec<u8>)]) -> Builder {
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("a token");
        request = request.header(name, HeaderValue::from_bytes(value).expect("field bytes"));
    }
    request
}

fn case() -> impl Strategy<Value = Case> {
    let query =
        prop_oneof![3 => select(QUERY).prop_map(String::from), 1 => "[A-Za-z0-9%=+._~-]{0,12}"];
    let body = prop_oneof![select(FORM).prop_map(String::from), any::<String>()];
    let parts = (
        prop::collection::vec(query, 0..5),
        prop::collection::vec(body, 0..5),
    );
    (select(ROUTES), parts, hostile_headers(), peer()).prop_map(
        |(route, (query, body), headers, peer)| Case {
            route,
            query,
            headers,
            body,
            peer,
        },
    )
}

fn request(case: &Case) -> Request<Body> {
    let (method, path) = case.route;
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    let uri = format!("{path}?{}", case.query.join("&"));
    let request = with_headers(Request::builder().method(method).uri(uri), &case.headers);
    request
        .body(Body::from(case.body.join("&")))
        .expect("a request")
}

#[test]
fn any_request_head_gets_an_answer_below_500() {
    run_with_server(256, case(), |harness, case| {
        let answer = harness.send(case.peer, request(&case));
        let text = String::from_utf8_lossy(answer.body());
        prop_assert!(
            answer.status().as_u16() < 500,
            "{case:?}: {answer:?} {text}"
        );
        Ok(())
    });
}
