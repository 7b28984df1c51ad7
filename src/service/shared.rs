//! This process's copy of the state every process shares through the database: users, API keys
//! and the clock. Requests read the copy, never the database; a poll of `state_version` every
//! [`POLL_INTERVAL`] reloads it after another process changed something, and a change made here
//! reloads it at once. So a change is seen everywhere within a second, at the cost of one tiny
//! query per process per interval rather than one per request.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::accounts::{key_of, user_of};
use crate::clock::{Clock, ClockSetting};
use crate::directory::Directory;
use crate::store::{Snapshot, Store};

/// How often each process looks for changes made by others.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

pub(crate) struct SharedState {
    directory: RwLock<Arc<Directory>>,
    clock: Clock,
    /// `state_version` of the installed copy.
    version: AtomicI64,
}

impl SharedState {
    pub async fn load(store: &Store) -> sqlx::Result<Arc<Self>> {
        let shared = Arc::new(Self {
            directory: RwLock::default(),
            clock: Clock::default(),
            version: AtomicI64::new(i64::MIN),
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

    /// Reads the stored state and installs it unless a newer copy is installed already (a slow
    /// poll must not undo a change this process just made).
    pub async fn reload(&self, store: &Store) -> sqlx::Result<()> {
        let snapshot = store.snapshot().await?;
        if snapshot.version < self.version.load(Ordering::Acquire) {
            return Ok(());
        }
        self.install(snapshot);
        Ok(())
    }

    fn install(&self, snapshot: Snapshot) {
        let users = snapshot.users.into_iter().filter_map(user_of).collect();
        let keys = snapshot.keys.into_iter().filter_map(key_of).collect();
        let directory = Arc::new(Directory::new(users, keys));
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
                    Err(error) => Err(error),
                };
                if let Err(error) = result {
                    tracing::warn!("cannot refresh the shared state: {error:#}");
                }
            }
        });
    }
}
