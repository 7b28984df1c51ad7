//! Faults (`docs/protocol.md#faults`): queued over the control plane, stored, and claimed one
//! use at a time by the requests they match, on whichever process serves them.

use std::sync::Arc;

use serde::Serialize;

use super::Context;
use super::fault_input::FaultInput;
use super::fault_view::{FaultView, view};
use crate::directory::Directory;
use crate::error::{ControlError, Failure};
use crate::fault::{BrokenToken, FaultAction, FaultRoute, FaultSubject};
use crate::model::ApiKey;
use crate::store::{ClaimQuery, FaultRow};

/// The answer to queueing a fault.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueuedFault {
    pub id: i64,
    /// Pending faults on the same route, this one included: they apply oldest first.
    pub queue_depth: i64,
}

/// A fault a request has just taken one use of.
#[derive(Debug, Clone)]
pub struct ClaimedFault {
    pub id: i64,
    pub action: FaultAction,
}

impl ClaimedFault {
    /// What the journal shows: `fault 4: status 503`.
    pub fn describe(&self) -> String {
        format!("fault {}: {}", self.id, self.action.describe())
    }
}

pub struct FaultService {
    ctx: Arc<Context>,
}

impl FaultService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub async fn create(&self, input: FaultInput) -> Result<QueuedFault, ControlError> {
        let route = input.route()?;
        input.check_matchers(route)?;
        let times = input.times()?;
        let action = input.action(route)?;
        let directory = self.ctx.directory();
        let key = match input.api_key.as_deref() {
            Some(wanted) => Some(key_by_value_or_name(&directory, wanted)?),
            None => None,
        };
        let user = match input.user.as_deref() {
            Some(wanted) => Some(
                directory
                    .user(wanted)
                    .ok_or_else(|| ControlError::NotFound {
                        field: Some("user"),
                        message: format!("no user with uid or nick {wanted:?}"),
                    })?,
            ),
            None => None,
        };
        let client = match input.client.as_deref() {
            Some(wanted) => Some(
                directory
                    .client(wanted)
                    .ok_or_else(|| ControlError::NotFound {
                        field: Some("client"),
                        message: format!("no client with id {wanted:?}"),
                    })?
                    .client_id
                    .clone(),
            ),
            None => None,
        };
        let row = FaultRow {
            id: 0,
            route: route.as_str().to_owned(),
            api_key_hash: key.as_ref().map(|k| k.hash.0.to_vec()),
            api_key_name: key.as_ref().map(|k| k.name.clone()),
            user_uid: user.map(|u| u.uid.clone()),
            times,
            remaining: times,
            action: serde_json::to_string(&action).map_err(|e| Failure::Internal(e.into()))?,
            breaks_token: matches!(action, FaultAction::Token(_)),
            created_at: self.ctx.now(),
            client_id: client,
        };
        let (id, queue_depth) = self.ctx.store.insert_fault(&row).await?;
        // Answered only once this process will apply it; others see it within the poll.
        self.ctx.reload().await?;
        tracing::info!(id, route = route.as_str(), times, fault = %action.describe(), "fault queued");
        Ok(QueuedFault { id, queue_depth })
    }

    pub async fn list(&self) -> Result<Vec<FaultView>, ControlError> {
        let rows = self.ctx.store.pending_faults().await?;
        Ok(rows.into_iter().filter_map(view).collect())
    }

    pub async fn delete(&self, id: i64) -> Result<(), ControlError> {
        if !self.ctx.store.delete_fault(id).await? {
            return Err(ControlError::NotFound {
                field: None,
                message: format!("no pending fault with id {id}"),
            });
        }
        self.ctx.reload().await?;
        Ok(())
    }

    /// Removes every pending fault; answers how many there were.
    pub async fn clear(&self) -> Result<u64, ControlError> {
        let cleared = self.ctx.store.clear_faults().await?;
        self.ctx.reload().await?;
        Ok(cleared)
    }

    /// Whether any fault is pending on `route`: the one check every request pays (a read of
    /// the cached list), so the rest of the fault layer runs only when one might apply.
    pub fn pending_on(&self, route: FaultRoute) -> bool {
        let pending = self.ctx.shared.pending_faults();
        pending.iter().any(|fault| fault.route() == route)
    }

    /// Takes one use of the oldest pending fault matching `subject`. Without a pending fault
    /// that could match (the common case) this costs no query at all.
    pub async fn claim(&self, subject: FaultSubject<'_>) -> Result<Option<ClaimedFault>, Failure> {
        let pending = self.ctx.shared.pending_faults();
        if !pending.iter().any(|fault| fault.could_match(&subject)) {
            return Ok(None);
        }
        let query = ClaimQuery {
            route: subject.route.as_str(),
            api_key_hash: subject.key_hash.map(|h| h.as_slice()),
            user_uid: subject.user,
            client_id: subject.client,
            carries_token: subject.carries_token,
        };
        let Some(row) = self.ctx.store.claim_fault(query).await? else {
            return Ok(None);
        };
        if row.remaining == 0 {
            // Used up: drop it from this process's list now rather than at the next poll.
            let ctx = self.ctx.clone();
            tokio::spawn(async move { ctx.reload().await });
        }
        let action = serde_json::from_str(&row.action).map_err(|e| Failure::Internal(e.into()))?;
        Ok(Some(ClaimedFault { id: row.id, action }))
    }

    /// `jwt`, broken the way a `token` fault says, at the emulator's now.
    pub fn break_token(&self, jwt: &str, how: BrokenToken) -> Result<String, Failure> {
        Ok(self.ctx.tokens.broken(jwt, how, self.ctx.now())?)
    }
}

/// The key as clients present it, else the one key with that name (as the journal's filters).
fn key_by_value_or_name(directory: &Directory, wanted: &str) -> Result<Arc<ApiKey>, ControlError> {
    if let Some(key) = directory.api_key(wanted) {
        return Ok(key);
    }
    let mut named = directory.api_keys().iter().filter(|k| k.name == wanted);
    match (named.next(), named.next()) {
        (Some(key), None) => Ok(key.clone()),
        (Some(_), Some(_)) => Err(ControlError::invalid(
            "api_key",
            format!("several API keys are named {wanted:?}; give the key itself"),
        )),
        (None, _) => Err(ControlError::NotFound {
            field: Some("api_key"),
            message: "no API key with that key or name".into(),
        }),
    }
}
