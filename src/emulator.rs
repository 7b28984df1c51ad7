//! The emulator's core: everything a request needs, independent of HTTP. Cheap to share
//! behind an `Arc`; the route modules and the control plane call its methods.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use anyhow::Context;

use crate::clock::Clock;
use crate::config::Settings;
use crate::directory::Directory;
use crate::store::{Store, StoredKey};
use crate::token::{SigningKey, TokenService};

pub struct Emulator {
    pub settings: Settings,
    pub store: Store,
    pub tokens: TokenService,
    pub directory: Directory,
    pub clock: Clock,
    /// Emulator-clock second of the last purge of expired flows and sessions.
    last_purge: AtomicI64,
}

/// Expired flows and sessions are dropped at most this often, not on every write.
const PURGE_INTERVAL_SECONDS: i64 = 60;

impl Emulator {
    /// Opens the database, loads or generates the signing key, and resolves the directory.
    pub async fn start(settings: Settings) -> anyhow::Result<Arc<Self>> {
        let store = Store::connect(&settings.database.url).await?;
        let clock = Clock::default();
        let key = Arc::new(load_signing_key(&settings, &store, clock.now()).await?);
        let published = vec![key.jwk.clone()];
        Ok(Arc::new(Self {
            tokens: TokenService::new(&settings, key, published)?,
            directory: Directory::from_settings(&settings),
            store,
            clock,
            settings,
            last_purge: AtomicI64::new(i64::MIN),
        }))
    }

    /// Drops expired flows and sessions when the last purge is a minute old (by the emulator
    /// clock, which may also move backwards), so the tables stay small without a write per
    /// request. Called on the paths that add rows.
    pub(crate) async fn purge_expired_if_due(&self, now: i64) -> crate::error::Result<()> {
        let last = self.last_purge.load(Ordering::Relaxed);
        let due = last == i64::MIN || (now - last).abs() >= PURGE_INTERVAL_SECONDS;
        // Only the caller that moves the mark purges; concurrent callers go on.
        if due
            && self
                .last_purge
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.store.purge_expired(now).await?;
        }
        Ok(())
    }
}

/// The configured PEM file, else the key kept in the database, else a new key generated once
/// (off the async workers) and stored; if another replica stored one first, that one wins.
async fn load_signing_key(
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
