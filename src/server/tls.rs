//! HTTPS (`docs/tls.md`): the rustls configuration that presents the server's identity
//! (HTTP/1.1 only, announced by ALPN, as the server speaks nothing else), and one connection's
//! handshake, bounded in time.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use rustls::ServerConfig;
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::tls::Identity;

/// A TLS acceptor presenting `identity`.
pub fn acceptor(identity: &Identity) -> anyhow::Result<TlsAcceptor> {
    let mut config = ServerConfig::builder_with_provider(Arc::new(crate::tls::provider()))
        .with_safe_default_protocol_versions()
        .context("the TLS provider offers no protocol version")?
        .with_no_client_auth()
        .with_single_cert(identity.chain.clone(), identity.key.clone_key())
        .context("the TLS certificate and key cannot be served")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The handshake of one accepted connection, within `timeout` (`server.header_read_timeout`):
/// a client stalling in it is cut off as one stalling in its headers is. `None`: the client
/// went away, failed the handshake (it did not trust the certificate, say) or was too slow.
pub async fn handshake(
    acceptor: &TlsAcceptor,
    stream: TcpStream,
    timeout: Duration,
) -> Option<TlsStream<TcpStream>> {
    match tokio::time::timeout(timeout, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => Some(stream),
        Ok(Err(error)) => {
            tracing::debug!(%error, "TLS handshake failed");
            None
        }
        Err(_) => {
            tracing::debug!("TLS handshake timed out");
            None
        }
    }
}
