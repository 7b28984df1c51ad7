//! The local CA of `server.tls = "self-signed"` and the server certificates it issues
//! (`docs/tls.md`), made with rcgen on aws-lc-rs. ECDSA P-256 keys: quick to make, and every
//! TLS client accepts them.

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};

/// Ten years: a machine trusts the CA once, for as long as the setup lives.
const CA_DAYS: i64 = 3650;
/// Under the 825 days Apple's platforms accept for a server certificate, even one issued by a
/// CA the user trusted; the emulator issues a new one before it expires (`service/tls.rs`).
const LEAF_DAYS: i64 = 800;
/// Certificates start a day early, so a client whose clock lags accepts a fresh one.
const BACKDATE_DAYS: i64 = 1;
/// The name `localhost` stands for these addresses too: a client given `https://127.0.0.1`
/// checks the address against the certificate, not the name.
const LOOPBACK: [&str; 2] = ["127.0.0.1", "::1"];

/// A CA certificate and its private key, PEM. No `Debug`: the key never leaves the database.
pub struct Authority {
    pub cert_pem: String,
    pub key_pem: String,
}

/// A server certificate, its private key (PEM) and when it expires (Unix seconds).
pub struct Leaf {
    pub cert_pem: String,
    pub key_pem: String,
    pub not_after: i64,
}

/// A new CA, valid from `now` (Unix seconds, less a day) for ten years.
pub fn new_authority(now: i64) -> anyhow::Result<Authority> {
    let key = KeyPair::generate().context("cannot generate the CA key")?;
    let mut params = ca_params(&key);
    (params.not_before, params.not_after) = validity(now, CA_DAYS)?;
    let cert = params
        .self_signed(&key)
        .context("cannot sign the CA certificate")?;
    Ok(Authority {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

/// A server certificate for `hostnames` (see [`san_names`]) with a new key, issued by the CA
/// whose private key is `ca_key_pem`.
pub fn issue_leaf(ca_key_pem: &str, hostnames: &[String], now: i64) -> anyhow::Result<Leaf> {
    let ca_key = KeyPair::from_pem(ca_key_pem).context("the CA key is not usable")?;
    let issuer = Issuer::new(ca_params(&ca_key), &ca_key);
    let key = KeyPair::generate().context("cannot generate the server key")?;
    let mut params = CertificateParams::new(san_names(hostnames))
        .context("a hostname cannot be put in a certificate")?;
    let mut name = DistinguishedName::new();
    name.push(
        DnType::CommonName,
        hostnames.first().map_or("uitid-emulator", String::as_str),
    );
    params.distinguished_name = name;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    let (not_before, not_after) = validity(now, LEAF_DAYS)?;
    (params.not_before, params.not_after) = (not_before, not_after);
    let cert = params
        .signed_by(&key, &issuer)
        .context("cannot sign the server certificate")?;
    Ok(Leaf {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        not_after: not_after.unix_timestamp(),
    })
}

/// The names a server certificate for `hostnames` covers: those, and the loopback addresses
/// when `localhost` is one of them.
pub fn san_names(hostnames: &[String]) -> Vec<String> {
    let mut names = hostnames.to_vec();
    if hostnames
        .iter()
        .any(|h| h.eq_ignore_ascii_case("localhost"))
    {
        for address in LOOPBACK {
            if !names.iter().any(|n| n == address) {
                names.push(address.to_owned());
            }
        }
    }
    names
}

/// The CA's parameters, derived from its key alone, so that a certificate issued later from
/// the stored key names its issuer exactly as the CA certificate names itself. The name holds a
/// fingerprint of the key: CAs of two installations trusted on one machine stay apart.
fn ca_params(key: &KeyPair) -> CertificateParams {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, key.public_key_raw());
    let fingerprint: String = digest.as_ref()[..6]
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "uitid-emulator");
    name.push(
        DnType::CommonName,
        format!("uitid-emulator local CA {fingerprint}"),
    );
    let mut params = CertificateParams::default();
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params
}

fn validity(now: i64, days: i64) -> anyhow::Result<(OffsetDateTime, OffsetDateTime)> {
    let now = OffsetDateTime::from_unix_timestamp(now).context("the clock is out of range")?;
    Ok((
        now - Duration::days(BACKDATE_DAYS),
        now + Duration::days(days),
    ))
}
