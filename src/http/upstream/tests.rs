//! What the upstream receives of a request's headers (`docs/protocol.md#entry-api-gateway`).

use super::*;

#[test]
fn hop_by_hop_and_spoofed_identity_headers_are_dropped_and_the_verified_one_set() {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("connection", "keep-alive, x-secret-hop"),
        ("x-secret-hop", "1"),
        ("keep-alive", "timeout=5"),
        ("transfer-encoding", "chunked"),
        ("upgrade", "websocket"),
        ("host", "emulator.test"),
        ("x-uitid-user", "someone-else"),
        ("X-Uitid-Admin", "yes"),
        ("authorization", "Bearer t"),
        ("x-api-key", "k"),
        ("content-type", "application/json"),
    ] {
        headers.append(name, HeaderValue::from_static(value));
    }

    let identity = Identity {
        user: None,
        client: Some("client-1"),
    };
    prepare_request_headers(&mut headers, identity);

    let mut names: Vec<&str> = headers.keys().map(HeaderName::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "authorization",
            "content-type",
            "x-api-key",
            "x-uitid-client"
        ]
    );
    assert_eq!(headers[CLIENT_HEADER], "client-1");
}
