//! governor's DashMap store with one addition: a look at a key's budget that spends nothing.
//! Once a login's budget is spent, the next attempt must be refused *before* its password is
//! checked, and a login that succeeds must spend none of it (`docs/reliability.md#guessing`);
//! governor itself only tests and spends at once. Its limiter hands the key to the store
//! untouched, so the key carries whether the call only looks.

use std::hash::Hash;
use std::sync::Arc;

use governor::nanos::Nanos;
use governor::state::StateStore;
use governor::state::keyed::{DashMapStateStore, ShrinkableKeyedStateStore};

/// A limiter key, and whether this call only looks.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Probe<K> {
    pub key: K,
    pub look_only: bool,
}

/// The budgets by key; the limiter keeps a handle too, to read their number and membership.
pub(super) struct LookableStore<K: Hash + Eq + Clone>(pub Arc<DashMapStateStore<K>>);

impl<K: Hash + Eq + Clone> StateStore for LookableStore<K> {
    type Key = Probe<K>;

    fn measure_and_replace<T, F, E>(&self, probe: &Probe<K>, decide: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        if !probe.look_only {
            return self.0.measure_and_replace(&probe.key, decide);
        }
        if !self.0.contains_key(&probe.key) {
            // An untracked key has its whole budget; looking must not start tracking it.
            return decide(None).map(|(outcome, _)| outcome);
        }
        // The store writes only a decision that comes back as `Ok`: send every one back as an
        // `Err` carrying what it would have been.
        let looked = self.0.measure_and_replace(&probe.key, |state| {
            Err::<(T, Nanos), _>(decide(state).map(|(outcome, _)| outcome))
        });
        match looked {
            Ok(outcome) => Ok(outcome),
            Err(decision) => decision,
        }
    }
}

impl<K: Hash + Eq + Clone> ShrinkableKeyedStateStore<Probe<K>> for LookableStore<K> {
    fn retain_recent(&self, drop_below: Nanos) {
        ShrinkableKeyedStateStore::retain_recent(&*self.0, drop_below);
    }

    fn shrink_to_fit(&self) {
        self.0.shrink_to_fit();
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
