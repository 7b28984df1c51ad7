//! `docs/protocol.md#entry-api-check` through the router: `/user` answers 200 to a valid token
//! and 401 to every mutation of it (`mutations.rs`), never a 5xx.

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{HeaderValue, Request};
use proptest::prelude::*;

use crate::mutations::mutation;
use crate::support::run_with_server;
use crate::tokens::{sign, valid_parts};

const PEER: ([u8; 4], u16) = ([192, 0, 2, 1], 50000);

#[test]
fn at_user_only_the_valid_token_passes_and_nothing_is_a_5xx() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    // Tokens without `kid`: the server publishes the shared key under a `kid` of its own.
    let valid = valid_parts(now as i64).prop_filter("no kid", |(h, _)| !h.contains("kid"));
    let strategy = (valid, mutation(), any::<bool>());
    run_with_server(
        48,
        strategy,
        |harness, ((header, payload), mutation, intact)| {
            let token = sign(&header, &payload);
            let sent = match intact {
                true => token.clone(),
                false => mutation.apply(&token, &header, &payload),
            };
            // A mutation may leave bytes no header can carry; nothing to send then.
            let Ok(bearer) = HeaderValue::from_str(&format!("Bearer {sent}")) else {
                return Ok(());
            };
            let request = Request::get("/user").header("x-api-key", "prop-key");
            let request = request.header("authorization", bearer).body(Body::empty());
            let answer = harness.send(SocketAddr::from(PEER), request.expect("a request"));
            let expected = if sent == token { 200 } else { 401 };
            prop_assert_eq!(
                answer.status().as_u16(),
                expected,
                "{:?}: {}",
                mutation,
                sent
            );
            Ok(())
        },
    );
}
