//! The failure budgets on a fake clock (`docs/reliability.md#guessing`): a burst, then one
//! failure per interval; looking spends nothing; memory stays bounded under address churn.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use governor::clock::FakeRelativeClock;

use super::limiter::FailureLimiter;
use super::{Attempt, Guessing, MAX_TRACKED_ADDRESSES, address};
use crate::config::RateLimitSettings;
use crate::error::TooManyFailures;
use crate::model::ApiKey;
use crate::secret::TokenHash;

const EVERY: Duration = Duration::from_secs(10);

fn limiter(
    burst: u32,
    cap: usize,
) -> (FailureLimiter<IpAddr, FakeRelativeClock>, FakeRelativeClock) {
    let clock = FakeRelativeClock::default();
    (FailureLimiter::new(burst, EVERY, cap, clock.clone()), clock)
}

/// The `n`th of many distinct IPv4 addresses.
fn nth(n: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + n))
}

#[test]
fn a_key_fails_its_burst_then_once_per_interval() {
    let (limits, clock) = limiter(3, 100);
    let ip = nth(1);

    let burst: Vec<_> = (0..3).map(|_| limits.fail(&ip)).collect();
    let refused = limits.fail(&ip);
    clock.advance(EVERY);
    let replenished = limits.fail(&ip);
    let refused_again = limits.fail(&ip);

    assert_eq!(burst, [None, None, None], "the burst is served");
    assert_eq!(refused, Some(EVERY), "then a wait of one interval");
    assert_eq!(replenished, None, "one failure per interval after it");
    assert_eq!(refused_again, Some(EVERY));
}

#[test]
fn looking_spends_nothing_and_tracks_no_new_key() {
    let (limits, clock) = limiter(2, 100);
    let (fresh, spent) = (nth(1), nth(2));

    let looks: Vec<_> = (0..50).map(|_| limits.look(&fresh)).collect();
    let tracked = limits.len();
    limits.fail(&spent);
    limits.fail(&spent);
    clock.advance(Duration::from_secs(4));
    let blocked = (limits.look(&spent), limits.look(&spent));

    assert!(looks.iter().all(Option::is_none), "{looks:?}");
    assert_eq!(tracked, 0, "a look does not start tracking an address");
    assert_eq!(
        blocked,
        (Some(Duration::from_secs(6)), Some(Duration::from_secs(6)))
    );
    assert_eq!(
        limits.fail(&fresh),
        None,
        "a fresh key still has its whole budget"
    );
}

#[test]
fn each_key_has_a_budget_of_its_own() {
    let (limits, _clock) = limiter(1, 100);

    limits.fail(&nth(1));

    assert!(limits.fail(&nth(1)).is_some(), "the first address is spent");
    assert_eq!(limits.fail(&nth(2)), None, "the second is not");
}

#[test]
fn a_hundred_thousand_addresses_stay_within_the_cap_and_upkeep_forgets_them() {
    let (limits, clock) = limiter(3, MAX_TRACKED_ADDRESSES);
    let (small, small_clock) = limiter(3, 1_000);

    for n in 0..100_000 {
        limits.fail(&nth(n));
        small.fail(&nth(n));
    }
    let (tracked, small_tracked) = (limits.len(), small.len());
    limits.upkeep();
    let kept_while_fresh = limits.len();
    // A burst of three takes three intervals to grow back; governor forgets a budget one
    // interval after it is whole.
    clock.advance(EVERY * 4);
    small_clock.advance(EVERY * 4);
    limits.upkeep();
    small.upkeep();

    assert_eq!(
        tracked, 100_000,
        "each address has a budget of its own within the cap"
    );
    assert_eq!(small_tracked, 1_001, "beyond the cap, one shared budget");
    assert_eq!(kept_while_fresh, 100_000, "budgets not yet whole are kept");
    assert_eq!(
        (limits.len(), small.len()),
        (0, 0),
        "whole budgets are forgotten"
    );
}

#[test]
fn beyond_the_cap_new_addresses_share_one_budget() {
    let (limits, _clock) = limiter(2, 10);
    for n in 0..10 {
        limits.fail(&nth(n));
    }

    let shared: Vec<_> = (100..103).map(|n| limits.fail(&nth(n))).collect();

    assert_eq!(shared[..2], [None, None], "the shared burst");
    assert!(shared[2].is_some(), "a third new address finds it spent");
    assert_eq!(
        limits.fail(&nth(0)),
        None,
        "a tracked address keeps its own"
    );
}

#[test]
fn an_ipv6_client_is_its_64_and_a_mapped_ipv4_client_its_ipv4_address() {
    let cases = [
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::", "an IPv6 address"),
        (
            "2001:db8:1:2:ffff:ffff:ffff:ffff",
            "2001:db8:1:2::",
            "the same /64",
        ),
        ("2001:db8:1:3::1", "2001:db8:1:3::", "the next /64"),
        ("::ffff:192.0.2.7", "192.0.2.7", "an IPv4-mapped address"),
        ("192.0.2.7", "192.0.2.7", "an IPv4 address"),
    ];
    for (ip, key, case) in cases {
        assert_eq!(
            address::key(ip.parse().unwrap()),
            key.parse::<IpAddr>().unwrap(),
            "{case}"
        );
    }
}

fn settings(exempt_loopback: bool) -> RateLimitSettings {
    RateLimitSettings {
        enabled: true,
        address_burst: 2,
        address_replenish: Duration::from_secs(3600),
        key_burst: 3,
        key_replenish: Duration::from_secs(3600),
        exempt_loopback,
    }
}

fn key() -> ApiKey {
    ApiKey {
        hash: TokenHash::of(b"a key"),
        name: "A key".into(),
        hint: "a k…".into(),
        permissions: Default::default(),
        destinations: Vec::new(),
    }
}

fn attempt<'a>(peer: &str, key: &'a ApiKey) -> Attempt<'a> {
    Attempt {
        peer: Some(peer.parse().unwrap()),
        key: Some(key.into()),
    }
}

fn is_429(result: Result<(), TooManyFailures>) -> bool {
    matches!(result, Err(TooManyFailures { retry_after: 3600 }))
}

#[tokio::test]
async fn a_blocked_address_spends_nothing_of_its_keys_budget() {
    let guessing = Guessing::start(&settings(false));
    let key = key();
    for _ in 0..2 {
        guessing.failed(attempt("192.0.2.1", &key)).unwrap();
    }

    let blocked: Vec<_> = (0..5)
        .map(|_| guessing.failed(attempt("192.0.2.1", &key)))
        .collect();
    let other = guessing.failed(attempt("192.0.2.2", &key));
    let key_spent = guessing.failed(attempt("192.0.2.3", &key));

    assert!(blocked.into_iter().all(is_429), "the address is blocked");
    assert!(
        other.is_ok(),
        "another address spends the key's third failure"
    );
    assert!(
        is_429(key_spent),
        "and then the key is spent, for every address"
    );
    assert!(is_429(guessing.check(attempt("192.0.2.4", &key))));
}

#[tokio::test]
async fn loopback_is_limited_unless_exempt_and_nothing_is_when_disabled() {
    let key = key();
    let limited = Guessing::start(&settings(false));
    let exempt = Guessing::start(&settings(true));
    let disabled = Guessing::start(&RateLimitSettings {
        enabled: false,
        ..settings(false)
    });

    for peer in ["127.0.0.1", "::1", "127.0.0.2"] {
        let outcomes = |guessing: &Guessing| -> Vec<_> {
            (0..10)
                .map(|_| guessing.failed(attempt(peer, &key)).is_ok())
                .collect()
        };
        assert!(
            outcomes(&limited).contains(&false),
            "{peer} is limited by default"
        );
        assert!(outcomes(&exempt).iter().all(|ok| *ok), "{peer} is exempt");
        assert!(outcomes(&disabled).iter().all(|ok| *ok), "{peer}: disabled");
    }
    assert!(exempt.failed(attempt("192.0.2.1", &key)).is_ok());
    assert!(exempt.failed(attempt("192.0.2.1", &key)).is_ok());
    assert!(
        is_429(exempt.failed(attempt("192.0.2.1", &key))),
        "others are not exempt"
    );
}
