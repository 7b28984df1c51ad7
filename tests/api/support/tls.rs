//! HTTPS clients for the TLS tests (`docs/tls.md`): one that trusts exactly one CA and sends
//! publiq's host names to the test server, as a machine set up by `docs/tls.md` does; one that
//! trusts nothing; and what the server presented.

use std::net::SocketAddr;

use reqwest::redirect::Policy;
use reqwest::tls::TlsInfo;
use reqwest::{Certificate, Client, ClientBuilder, Response};

/// The host names a client of publiq's test environment has in its code.
pub const ACCOUNT_HOST: &str = "account-test.uitid.be";
pub const ENTRY_API_HOST: &str = "io-test.uitdatabank.be";

/// A client trusting only the CA `ca_pem`, sending `hosts` to `server` whatever port their
/// URLs name (443 for a hard-coded `https://host/...`): `resolve` takes the port from the
/// address it is given.
pub fn trusting_client(ca_pem: &str, hosts: &[&str], server: SocketAddr) -> Client {
    let ca = Certificate::from_pem(ca_pem.as_bytes()).expect("a PEM certificate");
    let mut builder = tls_client().add_root_certificate(ca);
    for host in hosts {
        builder = builder.resolve(host, server);
    }
    builder.build().expect("an HTTPS client")
}

/// A client that trusts no CA at all.
pub fn untrusting_client(hosts: &[&str], server: SocketAddr) -> Client {
    let mut builder = tls_client();
    for host in hosts {
        builder = builder.resolve(host, server);
    }
    builder.build().expect("an HTTPS client")
}

/// A client that accepts any certificate: how a test reads `/_emulator/ca.pem` before it
/// trusts what it got.
pub fn unverifying_client() -> Client {
    tls_client()
        .danger_accept_invalid_certs(true)
        .build()
        .expect("an HTTPS client")
}

fn tls_client() -> ClientBuilder {
    Client::builder()
        .redirect(Policy::none())
        .tls_built_in_root_certs(false)
        .tls_info(true)
        .https_only(true)
}

/// The DER of the certificate the server presented for `response`.
pub fn served_certificate(response: &Response) -> Vec<u8> {
    let info = response
        .extensions()
        .get::<TlsInfo>()
        .expect("the answer came over TLS");
    info.peer_certificate()
        .expect("the server presented a certificate")
        .to_vec()
}

/// A PEM certificate's DER.
pub fn der_of(pem: &str) -> Vec<u8> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    CertificateDer::from_pem_slice(pem.as_bytes())
        .expect("a PEM certificate")
        .to_vec()
}
