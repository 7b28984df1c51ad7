//! `docs/protocol.md#control-plane`: with `admin.token` set, `/_emulator/*` needs that bearer
//! token; without one, only loopback peers are served. Other peers are simulated in-process
//! by driving the router with `MockConnectInfo`.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use crate::support::*;

const ADMIN: &str = "[admin]\ntoken = \"s3cret-admin-token\"";

/// One request straight into the router as if it came from `peer`.
async fn from_peer(
    server: &TestApp,
    peer: &str,
    path: &str,
    bearer: Option<&str>,
) -> (StatusCode, Value) {
    let peer: SocketAddr = peer.parse().expect("a socket address");
    let router = uitid_emulator::routes::router(server.state().clone(), Default::default());
    let mut request = Request::get(path);
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request.body(Body::empty()).unwrap();
    let response = router
        .layer(MockConnectInfo(peer))
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, body)
}

#[tokio::test]
async fn with_an_admin_token_the_control_plane_needs_exactly_that_bearer_token() {
    let server = server(ADMIN).await;
    let clock = || client().get(server.url("/_emulator/clock"));
    let cases = [
        (clock(), 401, "no Authorization header"),
        (clock().bearer_auth("wrong"), 401, "a wrong token"),
        (
            clock().bearer_auth("s3cret-admin-token-and-more"),
            401,
            "a longer token",
        ),
        (
            clock().basic_auth("admin", Some("s3cret-admin-token")),
            401,
            "Basic auth",
        ),
        (
            clock().header("authorization", "s3cret-admin-token"),
            401,
            "the token without Bearer",
        ),
        (
            clock().bearer_auth("s3cret-admin-token"),
            200,
            "the admin token",
        ),
    ];
    for (request, status, case) in cases {
        let response = send(request).await;

        if status == 200 {
            assert_eq!(response.status(), 200, "{case}");
        } else {
            assert_control_error(response, status, None, case).await;
        }
    }
    let mint = client()
        .post(server.url("/_emulator/tokens"))
        .json(&serde_json::json!({"user": "stiksels"}));
    assert_control_error(send(mint).await, 401, None, "minting needs it too").await;
}

#[tokio::test]
async fn without_an_admin_token_only_loopback_peers_are_served() {
    let server = server("").await;
    let cases = [
        ("127.0.0.1:50000", 200, "IPv4 loopback"),
        ("127.8.9.10:50000", 200, "anywhere in 127/8"),
        ("[::1]:50000", 200, "IPv6 loopback"),
        ("[::ffff:127.0.0.1]:50000", 200, "IPv4-mapped loopback"),
        ("192.0.2.10:50000", 403, "an IPv4 peer"),
        ("10.0.0.1:50000", 403, "a private-network peer"),
        ("[2001:db8::1]:50000", 403, "an IPv6 peer"),
        ("[::ffff:192.0.2.10]:50000", 403, "an IPv4-mapped peer"),
    ];
    for (peer, status, case) in cases {
        let (answered, body) = from_peer(&server, peer, "/_emulator/clock", None).await;

        assert_eq!(answered.as_u16(), status, "{case}: {body}");
        let member = if status == 200 { "now" } else { "error" };
        assert!(body.get(member).is_some(), "{case}: {member} in {body}");
    }
}

#[tokio::test]
async fn with_an_admin_token_any_peer_with_the_token_is_served() {
    let server = server(ADMIN).await;
    let cases = [
        (
            "192.0.2.10:50000",
            Some("s3cret-admin-token"),
            200,
            "a remote peer with the token",
        ),
        ("192.0.2.10:50000", None, 401, "a remote peer without it"),
        (
            "127.0.0.1:50000",
            None,
            401,
            "loopback is no excuse once a token is set",
        ),
    ];
    for (peer, bearer, status, case) in cases {
        let (answered, body) = from_peer(&server, peer, "/_emulator/clock", bearer).await;

        assert_eq!(answered.as_u16(), status, "{case}: {body}");
    }
}

#[tokio::test]
async fn the_access_rule_guards_only_the_control_plane() {
    let server = server("").await;

    let (status, _) = from_peer(&server, "192.0.2.10:50000", "/public.pem", None).await;

    assert_eq!(status, 200, "a remote peer still gets the public key");
}

/// Every control-plane path, each with a method it answers (`openapi.rs` checks that every
/// described path is here).
pub(crate) const CONTROL_ROUTES: &[(&str, &str)] = &[
    ("GET", "/_emulator/clock"),
    ("POST", "/_emulator/tokens"),
    ("GET", "/_emulator/refresh-tokens"),
    ("DELETE", "/_emulator/refresh-tokens/1"),
    ("GET", "/_emulator/users"),
    ("PUT", "/_emulator/users/stiksels"),
    ("GET", "/_emulator/api-keys"),
    ("DELETE", "/_emulator/api-keys/some-key"),
    ("GET", "/_emulator/clients"),
    ("PUT", "/_emulator/clients/some-client"),
    ("GET", "/_emulator/keys"),
    ("GET", "/_emulator/ca.pem"),
    ("POST", "/_emulator/keys/rotate"),
    ("POST", "/_emulator/reset"),
    ("GET", "/_emulator/journal"),
    ("POST", "/_emulator/journal/verify"),
    ("POST", "/_emulator/journal/wait"),
    ("POST", "/_emulator/faults"),
    ("GET", "/_emulator/faults"),
    ("DELETE", "/_emulator/faults/1"),
    ("GET", "/_emulator/"),
    ("GET", "/_emulator/dashboard.js"),
    ("GET", "/_emulator/dashboard.css"),
    ("GET", "/_emulator/openapi.json"),
];

/// `method path` from `peer` straight into the router; the status, and whether the body is JSON
/// (a control-plane answer, not the provider's plain-text 404 for an unknown path).
async fn status_from(
    server: &TestApp,
    peer: &str,
    method: &str,
    path: &str,
    bearer: Option<&str>,
) -> (u16, bool) {
    let peer: SocketAddr = peer.parse().expect("a socket address");
    let router = uitid_emulator::routes::router(server.state().clone(), Default::default());
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = router
        .layer(MockConnectInfo(peer))
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let json = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    (
        response.status().as_u16(),
        json || response.status().is_success(),
    )
}

#[tokio::test]
async fn every_control_plane_route_refuses_a_remote_peer_without_a_token_and_a_caller_without_the_token()
 {
    let open = server("").await;
    let guarded = server(ADMIN).await;
    for (method, path) in CONTROL_ROUTES {
        let remote = status_from(&open, "192.0.2.10:50000", method, path, None).await;
        let no_token = status_from(&guarded, "127.0.0.1:50000", method, path, None).await;
        let wrong = status_from(&guarded, "192.0.2.10:50000", method, path, Some("wrong")).await;
        let right = status_from(
            &guarded,
            "192.0.2.10:50000",
            method,
            path,
            Some("s3cret-admin-token"),
        )
        .await;

        assert_eq!(
            (remote.0, no_token.0, wrong.0),
            (403, 401, 401),
            "{method} {path}"
        );
        let (status, control_answer) = right;
        assert!(
            ![401, 403, 405].contains(&status) && control_answer,
            "{method} {path} with the token: {status}"
        );
    }
}
