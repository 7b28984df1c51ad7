//! The HTTP/1.1 server loop. axum's `serve` has no header-read timeout or header-size limit,
//! so connections are driven by hyper directly: slow clients are cut off, oversized request
//! lines and headers get hyper's 414/431, and shutdown drains for at most `drain_timeout`.
//! Each connection's stream can be broken by a `connection` fault (`breakable.rs`). With TLS
//! (`tls.rs`), each connection's handshake runs in the connection's own task, so a slow client
//! never holds up accepting the next one.

mod breakable;
pub mod tls;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::config::ServerSettings;
use crate::http::connection::ConnectionControl;
use crate::http::middleware::InFlight;
use breakable::BreakableStream;

/// hyper's read buffer for a request head: bounds memory per connection. The exact limits
/// clients see are checked in `http::limits` (this one depends on how the bytes arrive).
const MAX_HEAD_BYTES: usize = 32 * 1024;

/// Serves `router` (whose pipeline counts requests in `in_flight`) until `signal`, over TLS
/// when given an acceptor.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    in_flight: InFlight,
    settings: &ServerSettings,
    tls: Option<TlsAcceptor>,
    signal: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    tokio::pin!(signal);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Typically EMFILE: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut signal => break,
        };
        let control = ConnectionControl::default();
        let request_control = control.clone();
        let service = router
            .clone()
            .map_request(move |mut request: hyper::Request<Incoming>| {
                let extensions = request.extensions_mut();
                extensions.insert(ConnectInfo::<SocketAddr>(peer));
                extensions.insert(request_control.clone());
                request
            });
        let service = TowerToHyperService::new(service);
        // Errors of a connection are clients hanging up or timing out: nothing to act on.
        let Some(acceptor) = &tls else {
            let stream = BreakableStream::new(stream, control);
            let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                let _ = connection.await;
            });
            continue;
        };
        let (acceptor, http, watcher) = (acceptor.clone(), http.clone(), graceful.watcher());
        let timeout = settings.header_read_timeout;
        tokio::spawn(async move {
            let Some(stream) = tls::handshake(&acceptor, stream, timeout).await else {
                return;
            };
            let stream = BreakableStream::new(stream, control);
            let _ = watcher
                .watch(http.serve_connection(TokioIo::new(stream), service))
                .await;
        });
    }
    drop(listener);
    // Connections that are idle or still sending their first headers hold no request: they
    // must not keep the process alive, so draining ends when no request is in flight.
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections drained"),
        () = in_flight.settled() => tracing::info!("no request in flight; closing idle connections"),
        () = tokio::time::sleep(settings.drain_timeout) => tracing::warn!("drain timeout reached; closing"),
    }
    Ok(())
}
