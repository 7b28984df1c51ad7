//! The request journal (`docs/protocol.md#journal`): what this process answered, newest first,
//! so a test can ask "was I called once?" (verify) or "wait until my client refreshed" (wait).
//! Per process and bounded: at most [`CAPACITY`] entries, the oldest dropped first. Entries
//! hold names and ids, never a token, key or query string.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use utoipa::ToSchema;

use crate::secret::TokenHash;

/// Entries kept per process (a few hundred bytes each: well under a megabyte in all).
pub const CAPACITY: usize = 1000;

/// One answered request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JournalEntry {
    /// Emulator-clock unix seconds when it was answered.
    pub time: i64,
    pub method: String,
    /// The route template (`/refresh`), never the raw path or query.
    pub route: String,
    pub status: u16,
    pub duration_ms: f64,
    /// Name of the caller's API key, when it sent a known one.
    pub api_key: Option<String>,
    /// uid of the user the request was about, when there was one.
    pub user: Option<String>,
    /// Id of the OAuth2 client the request was about (a token request, a client's token).
    pub client: Option<String>,
    /// Which refresh token id produced which access token (`"refresh token 7 -> 3fa9c2e1b0d4"`,
    /// the access token named by `jti` or the first 12 hex digits of its SHA-256).
    pub lineage: Option<String>,
    /// The fault applied to this request, if any.
    pub fault: Option<String>,
}

/// Which entries a query, a verification or a wait is about.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntryFilter {
    #[serde(default)]
    pub route: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
    /// An API key's name.
    #[serde(default)]
    pub api_key: Option<String>,
    /// A user's uid.
    #[serde(default)]
    pub user: Option<String>,
    /// An OAuth2 client's id.
    #[serde(default)]
    pub client: Option<String>,
}

impl EntryFilter {
    pub fn matches(&self, entry: &JournalEntry) -> bool {
        self.route.as_ref().is_none_or(|r| *r == entry.route)
            && self.status.is_none_or(|s| s == entry.status)
            && self
                .api_key
                .as_ref()
                .is_none_or(|k| Some(k) == entry.api_key.as_ref())
            && self
                .user
                .as_ref()
                .is_none_or(|u| Some(u) == entry.user.as_ref())
            && self
                .client
                .as_ref()
                .is_none_or(|c| Some(c) == entry.client.as_ref())
    }
}

/// What a handler knows about its request that the journal should show and faults match on;
/// handlers put it in the response's extensions and the middleware reads it.
#[derive(Debug, Clone, Default)]
pub struct JournalNote {
    /// The caller's API key's name.
    pub api_key: Option<String>,
    /// That key's hash, for faults matching on it; never journaled.
    pub key_hash: Option<TokenHash>,
    pub user: Option<String>,
    /// The OAuth2 client's id.
    pub client: Option<String>,
    pub lineage: Option<String>,
    pub fault: Option<String>,
}

#[derive(Default)]
pub struct Journal {
    entries: Mutex<VecDeque<JournalEntry>>,
    arrived: Notify,
}

impl Journal {
    pub fn record(&self, entry: JournalEntry) {
        let mut entries = self.lock();
        if entries.len() == CAPACITY {
            entries.pop_back();
        }
        entries.push_front(entry);
        drop(entries);
        self.arrived.notify_waiters();
    }

    /// Matching entries, newest first, at most `limit`.
    pub fn find(&self, filter: &EntryFilter, limit: usize) -> Vec<JournalEntry> {
        let entries = self.lock();
        entries
            .iter()
            .filter(|e| filter.matches(e))
            .take(limit)
            .cloned()
            .collect()
    }

    pub fn count(&self, filter: &EntryFilter) -> usize {
        self.lock().iter().filter(|e| filter.matches(e)).count()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The newest matching entry, waiting up to `timeout` for one to arrive.
    pub async fn wait(&self, filter: &EntryFilter, timeout: Duration) -> Option<JournalEntry> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before looking, so an entry recorded in between still wakes us.
            let arrived = self.arrived.notified();
            if let Some(entry) = self.find(filter, 1).pop() {
                return Some(entry);
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return None;
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<JournalEntry>> {
        match self.entries.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}
