//! The self-signed TLS material (`docs/tls.md`), kept in the database like the generated
//! signing key (`signing_key.rs`): the stored CA, else a new one made once and stored, the first
//! process to store one winning, so replicas on one database serve certificates of one CA. A
//! stored server certificate issued for other names, or close to expiry, is replaced by one the
//! same CA issues, so machines that trust the CA keep trusting the server.

use anyhow::Context as _;

use crate::store::{Store, StoredLeaf, StoredTls};
use crate::tls::{Authority, Leaf, issue_leaf, new_authority};

/// A server certificate is replaced when it has less than this left (30 days).
const RENEW_BEFORE_SECONDS: i64 = 30 * 24 * 3600;

/// The stored material, its server certificate fit for `hostnames` at `now` (wall time).
pub(crate) async fn load(
    store: &Store,
    hostnames: &[String],
    now: i64,
) -> anyhow::Result<StoredTls> {
    let wanted = hostnames.join(",");
    let stored = match store
        .tls_material()
        .await
        .context("cannot read the TLS material")?
    {
        Some(stored) => stored,
        None => {
            let names = hostnames.to_vec();
            let candidate = blocking(move || {
                let authority = new_authority(now)?;
                let leaf = issue_leaf(&authority.key_pem, &names, now)?;
                Ok(record(authority, leaf, &names))
            })
            .await?;
            let stored = store
                .install_tls_if_none(&candidate, now)
                .await
                .context("cannot store the TLS material")?;
            if stored.ca_cert_pem == candidate.ca_cert_pem {
                tracing::info!(hostnames = %wanted, "generated a local CA and a server certificate");
            }
            stored
        }
    };
    if stored.leaf.hostnames == wanted && stored.leaf.not_after - now > RENEW_BEFORE_SECONDS {
        return Ok(stored);
    }
    let (ca_key, names) = (stored.ca_key_pem.clone(), hostnames.to_vec());
    let leaf = blocking(move || Ok(leaf_row(issue_leaf(&ca_key, &names, now)?, &names)))
        .await
        .context("cannot issue a server certificate from the stored CA")?;
    let replaced = store
        .replace_tls_leaf(&stored.leaf.cert_pem, &leaf, now)
        .await
        .context("cannot store the new server certificate")?;
    tracing::info!(hostnames = %wanted, "issued a new server certificate from the stored CA");
    Ok(replaced)
}

fn record(authority: Authority, leaf: Leaf, hostnames: &[String]) -> StoredTls {
    StoredTls {
        ca_cert_pem: authority.cert_pem,
        ca_key_pem: authority.key_pem,
        leaf: leaf_row(leaf, hostnames),
    }
}

fn leaf_row(leaf: Leaf, hostnames: &[String]) -> StoredLeaf {
    StoredLeaf {
        cert_pem: leaf.cert_pem,
        key_pem: leaf.key_pem,
        hostnames: hostnames.join(","),
        not_after: leaf.not_after,
    }
}

/// Key generation and signing are CPU work: off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(work).await?
}
