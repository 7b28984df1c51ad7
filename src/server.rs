//! The HTTP/1.1 server loop. axum's `serve` has no header-read timeout or header-size limit,
//! so connections are driven by hyper directly: slow clients are cut off, oversized request
//! lines and headers get hyper's 414/431, and shutdown drains for at most `drain_timeout`.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::config::ServerSettings;

/// hyper's read buffer for a request head: bounds memory per connection. The exact limits
/// clients see are checked in `http::limits` (this one depends on how the bytes arrive).
const MAX_HEAD_BYTES: usize = 32 * 1024;

pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: &ServerSettings,
    signal: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let in_flight = InFlight::default();
    let router = router.layer(axum::middleware::from_fn_with_state(
        in_flight.clone(),
        count_in_flight,
    ));
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
        let service = router
            .clone()
            .map_request(move |mut request: hyper::Request<Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients hanging up or timing out: nothing to act on.
            let _ = connection.await;
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

/// Requests between their headers and their response.
#[derive(Clone, Default)]
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    /// Completes once no request has been in flight for a moment, so a response that was just
    /// produced is also written out.
    async fn settled(&self) {
        let mut quiet_checks = 0;
        while quiet_checks < 5 {
            quiet_checks = if self.0.load(Ordering::Acquire) == 0 {
                quiet_checks + 1
            } else {
                0
            };
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn count_in_flight(
    State(in_flight): State<InFlight>,
    request: Request,
    next: Next,
) -> Response {
    in_flight.0.fetch_add(1, Ordering::AcqRel);
    // Decrement even if the handler's future is dropped (client gone, timeout).
    let _guard = DecrementOnDrop(&in_flight.0);
    next.run(request).await
}

struct DecrementOnDrop<'a>(&'a AtomicUsize);

impl Drop for DecrementOnDrop<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
