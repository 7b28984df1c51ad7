//! `uitid-emulator healthcheck [--url URL]`: a dependency-free readiness probe for Docker's
//! HEALTHCHECK (the runtime image has no curl). It speaks TLS to an `https://` URL
//! (`probe_tls.rs` says why it does not verify the certificate).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::config::load_settings;

const TIMEOUT: Duration = Duration::from_secs(3);

pub fn run(url: Option<String>, config: Option<&Path>) -> anyhow::Result<()> {
    let url = match url {
        Some(url) => url,
        None => default_url(config)?,
    };
    let parsed = url::Url::parse(&url).with_context(|| format!("{url:?} is not a URL"))?;
    let tls = match parsed.scheme() {
        "http" => false,
        "https" => true,
        _ => bail!("only http:// and https:// URLs can be probed"),
    };
    let host = parsed.host_str().context("the URL has no host")?;
    let port = parsed.port_or_known_default().unwrap_or(80);
    let address = (host, port)
        .to_socket_addrs()?
        .next()
        .context("the host does not resolve")?;
    let stream = TcpStream::connect_timeout(&address, TIMEOUT)
        .with_context(|| format!("cannot connect to {url}"))?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let path = &parsed[url::Position::BeforePath..];
    let status_line = if tls {
        let mut stream = super::probe_tls::connect(stream, host)?;
        status_line(&mut stream, host, path).with_context(|| format!("no answer from {url}"))?
    } else {
        let mut stream = stream;
        status_line(&mut stream, host, path)?
    };
    match status_line.split(' ').nth(1) {
        Some("200") => Ok(()),
        Some(status) => bail!("{url} answered {status}"),
        None => bail!("{url} did not answer HTTP"),
    }
}

/// Sends `GET path` and reads the start of the answer's status line.
fn status_line(stream: &mut (impl Read + Write), host: &str, path: &str) -> anyhow::Result<String> {
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    stream.flush()?;
    let mut head = [0u8; 32];
    let read = stream.read(&mut head)?;
    Ok(String::from_utf8_lossy(&head[..read]).into_owned())
}

/// The readiness URL of the server `server.listen` and `server.tls` describe (a wildcard
/// address is probed on loopback).
fn default_url(config: Option<&Path>) -> anyhow::Result<String> {
    let server = load_settings(config)?.server;
    Ok(format!(
        "{}/health/ready",
        crate::startup::local_base_url(server.listen, server.serves_tls())
    ))
}
