//! `docs/reliability.md#guessing`, `/refresh`: failures spend a budget per client address and
//! per API key, and beyond it the answer is 429 with `Retry-After`; a refresh that succeeds is
//! never refused and spends nothing. Other peers are simulated in-process with
//! `MockConnectInfo`, as `control_access.rs` does.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::Request;
use tower::ServiceExt;

use crate::support::*;

/// Address budget `address`, key budget `key`; neither grows back during a test.
fn limits(address: u32, key: u32) -> Setup {
    Setup::default().with_sections(&format!(
        "[rate_limits]\naddress_burst = {address}\naddress_replenish = \"1h\"\n\
         key_burst = {key}\nkey_replenish = \"1h\"\nexempt_loopback = false"
    ))
}

/// `/refresh` with `key` and `token` straight into the router, as if from `peer`.
async fn refresh_from(server: &TestApp, peer: &str, key: &str, token: &str) -> u16 {
    let peer: SocketAddr = peer.parse().expect("a socket address");
    let router = uitid_emulator::routes::router(server.state().clone(), Default::default());
    let query = form_query(&[("apiKey", key), ("refresh", token)]);
    let request = Request::get(format!("/refresh?{query}"))
        .body(Body::empty())
        .unwrap();
    let response = router.layer(MockConnectInfo(peer)).oneshot(request).await;
    response.unwrap().status().as_u16()
}

async fn assert_429(response: reqwest::Response, case: &str) {
    assert_eq!(response.status(), 429, "{case}");
    let retry_after: u64 = header(&response, "retry-after")
        .unwrap_or_else(|| panic!("{case}: a Retry-After header"))
        .parse()
        .unwrap_or_else(|e| panic!("{case}: Retry-After is whole seconds ({e})"));
    assert!((1..=3600).contains(&retry_after), "{case}: {retry_after}");
    let content_type = header(&response, "content-type").map(str::to_owned);
    assert_eq!(
        content_type.as_deref(),
        Some("text/plain; charset=utf-8"),
        "{case}"
    );
    let body = text(response).await;
    assert_eq!(body, "Too many failed attempts; try again later.", "{case}");
}

#[tokio::test]
async fn failed_refreshes_beyond_the_burst_are_a_429_while_a_valid_refresh_still_succeeds() {
    let server = limits(3, 1000).spawn().await;
    let refresh = server.refresh_token().await;

    let burst: Vec<u16> = [
        server.refresh_with(KEY_WITH_REFRESH, "guess-1").await,
        server.refresh_with(KEY_WITH_REFRESH, "").await,
        server.refresh_with("an-unknown-key", "guess-2").await,
    ]
    .iter()
    .map(|r| r.status().as_u16())
    .collect();
    let blocked = server.refresh_with(KEY_WITH_REFRESH, "guess-3").await;
    let valid = server.refresh_with(KEY_WITH_REFRESH, &refresh).await;

    assert_eq!(
        burst,
        [400, 400, 400],
        "an unknown token, none, a refused key"
    );
    assert_429(blocked, "the fourth failure").await;
    assert_eq!(
        valid.status(),
        200,
        "a valid refresh is served while blocked"
    );
    for (key, token, case) in [
        (KEY_WITH_REFRESH, "guess-4", "an unknown token"),
        (
            KEY_WITH_REFRESH,
            "",
            "no token (else it would tell a right key from a wrong one)",
        ),
        ("an-unknown-key", "guess-5", "an unknown key"),
        (
            OTHER_KEY_WITH_REFRESH,
            refresh.as_str(),
            "another key's token",
        ),
    ] {
        assert_429(server.refresh_with(key, token).await, case).await;
    }
    let metrics = text(server.get("/metrics").await).await;
    assert!(metrics.contains(r#"uitid_refusals_total{reason="too_many_failures"}"#));
}

#[tokio::test]
async fn a_client_whose_refreshes_succeed_is_never_slowed() {
    let server = limits(1, 1).spawn().await;
    let refresh = server.refresh_token().await;

    let mut statuses = Vec::new();
    for _ in 0..200 {
        statuses.push(
            server
                .refresh_with(KEY_WITH_REFRESH, &refresh)
                .await
                .status(),
        );
    }
    let first_failure = server.refresh_with(KEY_WITH_REFRESH, "guess").await;

    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(first_failure.status(), 400, "the successes spent nothing");
}

#[tokio::test]
async fn a_keys_budget_is_shared_by_every_address_and_an_addresses_by_every_key() {
    let server = limits(2, 2).spawn().await;
    let refresh = server.refresh_token().await;
    let from = |peer: &'static str, key: &'static str, token: &'static str| {
        refresh_from(&server, peer, key, token)
    };

    let key_spent = [
        from("192.0.2.1:1000", KEY_WITH_REFRESH, "guess").await,
        from("192.0.2.2:1000", KEY_WITH_REFRESH, "guess").await,
        from("192.0.2.3:1000", KEY_WITH_REFRESH, "guess").await,
    ];
    let valid = refresh_from(&server, "192.0.2.3:1000", KEY_WITH_REFRESH, &refresh).await;
    let address_spent = [
        from("192.0.2.4:1000", OTHER_KEY_WITH_REFRESH, "guess").await,
        from("192.0.2.4:1000", KEY_FOR_ANYWHERE, "guess").await,
        from("192.0.2.4:1000", KEY_FOR_ANYWHERE, "guess").await,
    ];
    // An unknown key has no budget: these spend only the address's.
    let same_64 = [
        from("[2001:db8::1]:1000", "an-unknown-key", "guess").await,
        from("[2001:db8::2]:1000", "an-unknown-key", "guess").await,
        from("[2001:db8::3]:1000", "an-unknown-key", "guess").await,
    ];

    assert_eq!(
        key_spent,
        [400, 400, 429],
        "a third address finds the key spent"
    );
    assert_eq!(valid, 200, "the key's valid refresh is still served");
    assert_eq!(
        address_spent,
        [400, 400, 429],
        "two keys spend one address's budget"
    );
    assert_eq!(same_64, [400, 400, 429], "an IPv6 client is its /64");
}

#[tokio::test]
async fn with_the_limits_disabled_or_loopback_exempt_failures_are_never_refused() {
    let spent = "address_burst = 1\naddress_replenish = \"1h\"\nkey_burst = 1";
    for (setting, case) in [
        ("enabled = false", "disabled"),
        ("exempt_loopback = true", "exempt"),
    ] {
        let sections = format!("[rate_limits]\n{spent}\nkey_replenish = \"1h\"\n{setting}");
        let server = Setup::default().with_sections(&sections).spawn().await;

        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses.push(
                server
                    .refresh_with(KEY_WITH_REFRESH, "guess")
                    .await
                    .status(),
            );
        }

        assert!(statuses.iter().all(|s| *s == 400), "{case}: {statuses:?}");
    }
}
