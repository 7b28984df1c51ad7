//! Which budget a client address spends (`docs/protocol.md#rate-limits`).

use std::net::{IpAddr, Ipv6Addr};

/// An IPv4 client is its address (also when it arrives as `::ffff:a.b.c.d`); an IPv6 client is
/// its /64, the smallest block a network hands out, so one host cannot pick a fresh budget for
/// every guess from the 2^64 addresses it has.
pub(super) fn key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !(u128::from(u64::MAX));
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
    }
}
