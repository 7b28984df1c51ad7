//! Each process's copy of the pending faults' matching rules, so a request with no fault that
//! could match it never queries the database (`docs/protocol.md#faults`).

use crate::fault::{FaultRoute, FaultSubject};
use crate::store::FaultRow;

#[derive(Debug, Clone)]
pub(crate) struct PendingFault {
    route: FaultRoute,
    key_hash: Option<Vec<u8>>,
    user: Option<String>,
    client: Option<String>,
    breaks_token: bool,
}

impl PendingFault {
    pub fn of(row: &FaultRow) -> Option<Self> {
        Some(Self {
            route: FaultRoute::parse(&row.route)?,
            key_hash: row.api_key_hash.clone(),
            user: row.user_uid.clone(),
            client: row.client_id.clone(),
            breaks_token: row.breaks_token,
        })
    }

    pub fn route(&self) -> FaultRoute {
        self.route
    }

    /// The store's claim applies the same rules; this only decides whether to ask it.
    pub fn could_match(&self, subject: &FaultSubject<'_>) -> bool {
        self.route == subject.route
            && self
                .key_hash
                .as_deref()
                .is_none_or(|k| subject.key_hash.is_some_and(|h| h.as_slice() == k))
            && self.user.as_deref().is_none_or(|u| subject.user == Some(u))
            && self
                .client
                .as_deref()
                .is_none_or(|c| subject.client == Some(c))
            && (!self.breaks_token || subject.carries_token)
    }
}
