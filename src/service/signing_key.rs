//! Which key signs (`docs/protocol.md#keys`): the configured PEM file, else the key kept in the
//! database, else a new key generated once (off the async workers) and stored. If another
//! replica stored one first, that one wins, so every process on one database signs alike.

use anyhow::Context as _;

use std::sync::Arc;

use crate::config::Settings;
use crate::store::{KeyMeta, Store, StoredKey};
use crate::token::{KeyRing, SigningKey};

pub(crate) async fn load(
    settings: &Settings,
    store: &Store,
    now: i64,
) -> anyhow::Result<SigningKey> {
    let file = settings.signing.private_key_file.trim();
    if !file.is_empty() {
        let pem = std::fs::read_to_string(file)
            .with_context(|| format!("signing.private_key_file {file:?} cannot be read"))?;
        return SigningKey::from_pem(&pem)
            .with_context(|| format!("signing.private_key_file {file:?} is not usable"));
    }
    if let Some(stored) = store
        .active_key()
        .await
        .context("cannot read the signing key")?
    {
        return parse_blocking(stored.private_pem).await;
    }
    let generated = tokio::task::spawn_blocking(SigningKey::generate).await??;
    let candidate = StoredKey {
        kid: generated.kid.clone(),
        private_pem: generated.private_pem.clone(),
    };
    let active = store
        .install_key_if_none(&candidate, now)
        .await
        .context("cannot store the signing key")?;
    if active.kid == generated.kid {
        tracing::info!(kid = %active.kid, "generated a new RSA-2048 signing key");
        Ok(generated)
    } else {
        parse_blocking(active.private_pem).await
    }
}

async fn parse_blocking(pem: String) -> anyhow::Result<SigningKey> {
    tokio::task::spawn_blocking(move || SigningKey::from_pem(&pem))
        .await?
        .context("the signing key in the database is not usable")
}

/// The ring of the stored keys: the active one signs, retired ones stay published until their
/// `retired_at`. Parsing RSA keys is CPU work, so it runs off the async workers.
pub(crate) async fn ring(store: &Store, metas: &[KeyMeta]) -> anyhow::Result<KeyRing> {
    let pems = store
        .key_pems()
        .await
        .context("cannot read the signing keys")?;
    let metas = metas.to_vec();
    tokio::task::spawn_blocking(move || {
        let parse = |kid: &str| -> anyhow::Result<SigningKey> {
            let (_, pem) = pems
                .iter()
                .find(|(k, _)| k == kid)
                .ok_or_else(|| anyhow::anyhow!("signing key {kid} vanished"))?;
            SigningKey::from_pem(pem).with_context(|| format!("signing key {kid} is not usable"))
        };
        let active = metas
            .iter()
            .find(|m| m.active)
            .ok_or_else(|| anyhow::anyhow!("no active signing key is stored"))?;
        let retiring = metas
            .iter()
            .filter_map(|m| Some((m, m.retired_at?)))
            .map(|(m, until)| Ok((parse(&m.kid)?.jwk, until)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        KeyRing::new(Arc::new(parse(&active.kid)?), retiring)
    })
    .await?
}
