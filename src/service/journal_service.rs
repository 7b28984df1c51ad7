//! The journal over the control plane (`docs/protocol.md#journal`): query, verify a count
//! (like MockServer's verify), wait for a request, clear. Filters take what a test knows: a key
//! as clients present it (or its name), a user's uid or nick.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Context;
use super::journal::{EntryFilter, JournalEntry};
use crate::error::ControlError;

/// `POST /_emulator/journal/verify`.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(description = "Which journal entries to count, and the bounds (none: at least one).")]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// A route template such as `/refresh`; required.
    // An `Option` so that leaving it out is a 400 naming `route`, not serde's message.
    #[schema(value_type = String, required = true)]
    pub route: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// An OAuth2 client's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<usize>,
}

/// Why a verification failed: what was expected, what was found, the entries nearest to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyMismatch {
    pub expected: Verification,
    pub found: usize,
    /// Up to five recent entries of the same route (or any route), to show what did happen.
    pub closest: Vec<JournalEntry>,
}

pub struct JournalService {
    ctx: Arc<Context>,
}

impl JournalService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub fn record(&self, entry: JournalEntry) {
        self.ctx.journal.record(entry);
    }

    pub fn list(&self, filter: EntryFilter, limit: Option<usize>) -> Vec<JournalEntry> {
        let filter = self.resolved(filter);
        self.ctx
            .journal
            .find(&filter, limit.unwrap_or(super::journal::CAPACITY))
    }

    pub fn verify(
        &self,
        mut verification: Verification,
    ) -> Result<Result<(), VerifyMismatch>, ControlError> {
        if verification.route.is_none() {
            return Err(ControlError::invalid(
                "route",
                "a route template such as \"/refresh\" is required",
            ));
        }
        if verification.at_least.is_none() && verification.at_most.is_none() {
            verification.at_least = Some(1);
        }
        let filter = self.resolved(EntryFilter {
            route: verification.route.clone(),
            status: verification.status,
            api_key: verification.api_key.clone(),
            user: verification.user.clone(),
            client: verification.client.clone(),
        });
        let found = self.ctx.journal.count(&filter);
        let within = verification.at_least.is_none_or(|n| found >= n)
            && verification.at_most.is_none_or(|n| found <= n);
        if within {
            return Ok(Ok(()));
        }
        let same_route = EntryFilter {
            route: filter.route.clone(),
            ..EntryFilter::default()
        };
        let mut closest = self.ctx.journal.find(&same_route, 5);
        if closest.is_empty() {
            closest = self.ctx.journal.find(&EntryFilter::default(), 5);
        }
        Ok(Err(VerifyMismatch {
            expected: verification,
            found,
            closest,
        }))
    }

    pub async fn wait(&self, filter: EntryFilter, timeout: Duration) -> Option<JournalEntry> {
        let filter = self.resolved(filter);
        self.ctx.journal.wait(&filter, timeout).await
    }

    pub fn clear(&self) {
        self.ctx.journal.clear();
    }

    /// A key as presented becomes its name; a nick becomes the uid.
    fn resolved(&self, mut filter: EntryFilter) -> EntryFilter {
        let directory = self.ctx.directory();
        if let Some(key) = filter.api_key.as_deref().and_then(|k| directory.api_key(k)) {
            filter.api_key = Some(key.name.clone());
        }
        if let Some(user) = filter.user.as_deref().and_then(|u| directory.user(u)) {
            filter.user = Some(user.uid.clone());
        }
        filter
    }
}
