//! `docs/protocol.md#login`, `docs/reliability.md#hostile-input`: a login really started at
//! `/connect`, then its form posted with any head (cookies and CSRF token kept or not, headers
//! added, twice at times) and any extra fields: never a 5xx, and the only redirect is to the
//! flow's own destination.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, header};
use proptest::prelude::*;
use proptest::sample::select;

use crate::headers::{hostile_headers, peer, with_headers};
use crate::support::{Harness, run_with_server};

const CONNECT: &str = "/connect?apiKey=prop-key&destination=https%3A%2F%2Fapp.test%2Fcb%3Fs%3D1";
const DESTINATION: &str = "https://app.test/cb?s=1&jwt=";
#[rustfmt::skip]
const FIELDS: &[&str] = &[
    "username=stiksels&password=stiksels-secret", "username=STIKSELS+&password=stiksels-secret",
    "username=stiksels&password=wrong", "action=cancel", "action=login", "", "flow=other",
    "csrf=forged", "username=%FF", "password", "=&=",
];

/// A flow as a browser holds it after `/connect` and the form: its id, the browser cookie
/// (`name=value`) and the form's CSRF token.
struct Started {
    flow: String,
    cookie: String,
    csrf: String,
}

fn start(harness: &Harness, peer: SocketAddr) -> Started {
    let connect = harness.send(peer, Request::get(CONNECT).body(Body::empty()).unwrap());
    let location = connect.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let set_cookie = connect.headers()[header::SET_COOKIE].to_str().unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let page = Request::get(&location).header(header::COOKIE, &cookie);
    let page = harness.send(peer, page.body(Body::empty()).unwrap());
    let html = String::from_utf8_lossy(page.body());
    let csrf = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|v| v.split('"').next());
    Started {
        flow: location.rsplit('=').next().unwrap().to_owned(),
        cookie,
        csrf: csrf.expect("the form has a CSRF token").to_owned(),
    }
}

#[test]
fn a_started_login_posted_with_any_head_is_answered_below_500_and_redirects_only_home() {
    // Mostly what a browser would post, so the credential check and the login are reached.
    let field = prop_oneof![2 => Just(FIELDS[0]), 1 => select(FIELDS)];
    let kept = (prop::bool::weighted(0.8), prop::bool::weighted(0.8));
    let strategy = (
        hostile_headers(),
        prop::collection::vec(field, 0..3),
        kept,
        peer(),
    );
    run_with_server(
        64,
        strategy,
        |harness, (headers, fields, (cookie, csrf), peer)| {
            let started = start(harness, peer);
            let mut form = vec![format!("flow={}", started.flow)];
            form.extend(csrf.then(|| format!("csrf={}", started.csrf)));
            form.extend(fields.iter().map(|f| f.to_string()));
            let mut request = Request::post("/login");
            if cookie {
                request = request.header(header::COOKIE, &started.cookie);
            }
            let request = with_headers(request, &headers).body(Body::from(form.join("&")));
            let answer = harness.send(peer, request.unwrap());
            let location = answer.headers().get(header::LOCATION);
            let text = String::from_utf8_lossy(answer.body());
            prop_assert!(
                answer.status().as_u16() < 500,
                "{form:?} {headers:?}: {answer:?} {text}"
            );
            prop_assert!(location.is_none_or(|l| l.as_bytes().starts_with(DESTINATION.as_bytes())));
            Ok(())
        },
    );
}
