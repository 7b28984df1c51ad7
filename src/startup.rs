//! The application owns its listener: build it (port 0 picks a free port), read the real
//! address, then serve until SIGINT/SIGTERM or a caller-supplied signal, draining in-flight
//! requests before returning.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::app::{App, AppState};
use crate::config::Settings;
use crate::http::middleware::InFlight;
use crate::routes;

pub struct Application {
    listener: TcpListener,
    router: Router,
    in_flight: InFlight,
    state: AppState,
    /// `None`: plain HTTP.
    tls: Option<TlsAcceptor>,
}

impl Application {
    /// Binds `server.listen`, opens the database and loads the signing key and the TLS
    /// material. With port 0 the server is a throwaway (tests, embedding): `server.public_url`
    /// then becomes the address actually bound (`https://` with TLS), so `oob` and issuers
    /// point at this very server.
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        let listen = settings.server.listen;
        let listener = TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let addr = listener.local_addr()?;
        if listen.port() == 0 {
            settings.server.public_url = local_base_url(addr, settings.server.serves_tls());
        } else if settings.server.serves_tls() && !settings.secure_cookies() {
            tracing::warn!(
                public_url = %settings.server.public_url,
                "the server speaks TLS but server.public_url is http://; oob and issuers use it"
            );
        }
        crate::metrics::handle(); // install the recorder before the first request is counted
        let state = App::start(settings).await?;
        let tls = match state.tls.identity() {
            Some(identity) => Some(crate::server::tls::acceptor(identity)?),
            None => None,
        };
        let in_flight = InFlight::default();
        let router = routes::router(state.clone(), in_flight.clone());
        Ok(Self {
            listener,
            router,
            in_flight,
            state,
            tls,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// The base URL clients use (`server.public_url`, without a trailing slash).
    pub fn base_url(&self) -> String {
        self.state.settings().public_base().to_owned()
    }

    /// The services, for what a caller arranges without HTTP (minting, the clock).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until SIGINT or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `signal` completes, then lets in-flight requests finish (at most
    /// `server.drain_timeout`).
    pub async fn run_until(
        self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        // Read by the test suite (`tests/api/support/process.rs`) and `examples/clients/run.sh`
        // to learn the port 0 picked: keep the message and the `address` field as they are.
        tracing::info!(address = %self.listener.local_addr()?, "uitid-emulator listening");
        let settings = &self.state.settings().server;
        crate::server::serve(
            self.listener,
            self.router,
            self.in_flight,
            settings,
            self.tls,
            signal,
        )
        .await?;
        self.state.close().await;
        tracing::info!("uitid-emulator stopped");
        Ok(())
    }
}

/// `http://host:port` (`https://` for a server speaking TLS) that reaches a server bound to
/// `addr` from this machine: a wildcard address is reached on loopback, IPv6 hosts are
/// bracketed.
pub fn local_base_url(addr: SocketAddr, tls: bool) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv6() => "[::1]".to_owned(),
        ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{host}:{}", addr.port())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM (`docker stop`, Kubernetes).
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; draining requests");
}

#[cfg(test)]
mod tests {
    use super::local_base_url;

    #[test]
    fn a_bound_address_becomes_a_url_that_reaches_it_from_this_machine() {
        let cases = [
            ("0.0.0.0:8080", "http://127.0.0.1:8080"),
            ("[::]:8080", "http://[::1]:8080"),
            ("127.0.0.1:80", "http://127.0.0.1:80"),
            ("[::1]:9000", "http://[::1]:9000"),
            ("192.0.2.7:81", "http://192.0.2.7:81"),
        ];
        for (bound, url) in cases {
            assert_eq!(
                local_base_url(bound.parse().unwrap(), false),
                url,
                "{bound}"
            );
        }
        let tls = local_base_url("0.0.0.0:8443".parse().unwrap(), true);
        assert_eq!(tls, "https://127.0.0.1:8443");
    }
}
