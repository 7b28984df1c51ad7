//! The keys in use (`docs/protocol.md#keys`): one active key that signs, and keys retired by a
//! rotation that stay published, so their tokens still verify, until their moment passes on the
//! emulator clock. Swapped whole when the keys change; readers keep the ring they started with.

use std::borrow::Cow;
use std::sync::{Arc, RwLock};

use super::keys::{Jwk, SigningKey};
use super::verify::VerifyingKey;

pub struct KeyRing {
    active: Arc<SigningKey>,
    /// Active key first, then retiring keys; `until[i]` is when key `i` stops being published.
    published: Vec<Jwk>,
    verifying: Vec<VerifyingKey>,
    until: Vec<Option<i64>>,
}

impl KeyRing {
    /// `retiring`: public keys of earlier keys, each with the second it drops out.
    pub fn new(active: Arc<SigningKey>, retiring: Vec<(Jwk, i64)>) -> anyhow::Result<Self> {
        let mut published = vec![active.jwk.clone()];
        let mut until = vec![None];
        for (jwk, drops_at) in retiring {
            published.push(jwk);
            until.push(Some(drops_at));
        }
        let verifying = published
            .iter()
            .map(|jwk| VerifyingKey::from_components(&jwk.kid, &jwk.n, &jwk.e))
            .collect::<anyhow::Result<_>>()?;
        Ok(Self {
            active,
            published,
            verifying,
            until,
        })
    }

    pub fn active(&self) -> &Arc<SigningKey> {
        &self.active
    }

    /// Every key whose tokens verify at `now`, active one first.
    pub fn published(&self, now: i64) -> Vec<Jwk> {
        self.live(now).map(|i| self.published[i].clone()).collect()
    }

    /// The keys a token may be signed with at `now`.
    pub fn verifying(&self, now: i64) -> Cow<'_, [VerifyingKey]> {
        if self.until.iter().all(|u| u.is_none_or(|t| t > now)) {
            return Cow::Borrowed(&self.verifying);
        }
        Cow::Owned(self.live(now).map(|i| self.verifying[i].clone()).collect())
    }

    fn live(&self, now: i64) -> impl Iterator<Item = usize> + '_ {
        (0..self.published.len()).filter(move |&i| self.until[i].is_none_or(|t| t > now))
    }
}

/// The ring in use, replaced whole when the keys change.
pub struct KeyRingCell(RwLock<Arc<KeyRing>>);

impl KeyRingCell {
    pub fn new(ring: KeyRing) -> Self {
        Self(RwLock::new(Arc::new(ring)))
    }

    pub fn get(&self) -> Arc<KeyRing> {
        match self.0.read() {
            Ok(ring) => ring.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set(&self, ring: KeyRing) {
        let mut slot = match self.0.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(ring);
    }
}
