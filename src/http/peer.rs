//! The client's address, for the rate limits on guessing (`docs/protocol.md#rate-limits`) and the
//! control plane's loopback rule (`docs/protocol.md#control-plane`): the
//! TCP peer the server recorded, else what `MockConnectInfo` sets when a test drives the router
//! (the fallback axum's `ConnectInfo` extractor makes). Never `X-Forwarded-For`: anyone can
//! send that, and a guesser would send a new one with every guess.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::Extensions;
use axum::http::request::Parts;

/// `None` only when the router runs without a server and without `MockConnectInfo`.
pub struct PeerAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(peer_ip(&parts.extensions)))
    }
}

/// The peer's IP address from a request's extensions.
pub fn peer_ip(extensions: &Extensions) -> Option<IpAddr> {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
        .or_else(|| extensions.get::<MockConnectInfo<SocketAddr>>().map(|m| m.0));
    peer.map(|addr| addr.ip())
}
