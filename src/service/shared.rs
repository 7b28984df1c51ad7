//! This process's copy of the state every process shares through the database: users, API keys,
//! OAuth2 clients, the clock, the pending faults and (unless a key file is configured) the
//! signing keys.
//! Requests read the copy, never the database; a poll of `state_version` every
//! [`POLL_INTERVAL`] reloads it after another process changed something, and a change made here
//! reloads it at once. So a change is seen everywhere within a second, at the cost of one tiny
//! query per process per interval rather than one per request.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::accounts::{key_of, user_of};
use super::client_rows::client_of;
use super::pending_fault::PendingFault;
use super::signing_key;
use crate::clock::{Clock, ClockSetting};
use crate::directory::Directory;
use crate::store::{KeyMeta, Snapshot, Store};
use crate::token::KeyRingCell;

/// How often each process looks for changes made by others.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

pub(crate) struct SharedState {
    directory: RwLock<Arc<Directory>>,
    clock: Clock,
    faults: RwLock<Arc<Vec<PendingFault>>>,
    /// `state_version` of the installed copy.
    version: AtomicI64,
    /// The signing keys, when they come from the database, and what the ring was built from.
    signing: Option<(Arc<KeyRingCell>, std::sync::Mutex<Vec<KeyMeta>>)>,
    /// One reload at a time, so an older snapshot never replaces a newer one.
    reloading: tokio::sync::Mutex<()>,
}

impl SharedState {
    /// `signing`: the key ring to keep in step with the stored keys (`None` with a key file).
    pub async fn load(
        store: &Store,
        signing: Option<Arc<KeyRingCell>>,
    ) -> anyhow::Result<Arc<Self>> {
        let shared = Arc::new(Self {
            directory: RwLock::default(),
            clock: Clock::default(),
            faults: RwLock::default(),
            version: AtomicI64::new(i64::MIN),
            signing: signing.map(|cell| (cell, std::sync::Mutex::default())),
            reloading: tokio::sync::Mutex::default(),
        });
        shared.reload(store).await?;
        Ok(shared)
    }

    pub fn directory(&self) -> Arc<Directory> {
        match self.directory.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The pending faults, as of the last reload.
    pub fn pending_faults(&self) -> Arc<Vec<PendingFault>> {
        match self.faults.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the stored state and installs it unless a newer copy is installed already (a slow
    /// poll must not undo a change this process just made).
    pub async fn reload(&self, store: &Store) -> anyhow::Result<()> {
        let _one_at_a_time = self.reloading.lock().await;
        let snapshot = store.snapshot().await?;
        if snapshot.version < self.version.load(Ordering::Acquire) {
            return Ok(());
        }
        if let Some((cell, built_from)) = &self.signing {
            let unchanged = built_from
                .lock()
                .map(|metas| *metas == snapshot.signing_keys)
                .unwrap_or(false);
            if !unchanged {
                cell.set(signing_key::ring(store, &snapshot.signing_keys).await?);
                if let Ok(mut metas) = built_from.lock() {
                    metas.clone_from(&snapshot.signing_keys);
                }
            }
        }
        self.install(snapshot);
        Ok(())
    }

    fn install(&self, snapshot: Snapshot) {
        let users = snapshot.users.into_iter().filter_map(user_of).collect();
        let keys = snapshot.keys.into_iter().filter_map(key_of).collect();
        let clients = snapshot.clients.into_iter().filter_map(client_of).collect();
        let directory = Arc::new(Directory::new(users, keys, clients));
        let faults = Arc::new(
            snapshot
                .faults
                .iter()
                .filter_map(PendingFault::of)
                .collect(),
        );
        match self.faults.write() {
            Ok(mut slot) => *slot = faults,
            Err(poisoned) => *poisoned.into_inner() = faults,
        }
        let mut slot = match self.directory.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = directory;
        self.clock.set(ClockSetting {
            offset_seconds: snapshot.clock.offset_seconds,
            frozen_at: snapshot.clock.frozen_at,
        });
        self.version.store(snapshot.version, Ordering::Release);
    }

    /// Polls for other processes' changes until this state is dropped or the database closed.
    pub fn watch(self: &Arc<Self>, store: Store) {
        let shared = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(POLL_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(shared) = shared.upgrade() else {
                    break;
                };
                if store.is_closed() {
                    break;
                }
                let installed = shared.version.load(Ordering::Acquire);
                let result = match store.state_version().await {
                    Ok(version) if version != installed => shared.reload(&store).await,
                    Ok(_) => Ok(()),
                    Err(error) => Err(error.into()),
                };
                if let Err(error) = result {
                    tracing::warn!("cannot refresh the shared state: {error:#}");
                }
            }
        });
    }
}
