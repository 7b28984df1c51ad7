//! Key publication and rotation (`docs/protocol.md#keys`, `#control-plane`): what resource
//! servers verify tokens with, the issuer they expect, and a rotation that keeps the old key
//! published for an overlap measured on the emulator clock.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Context;
use super::clock::SignedDuration;
use crate::error::ControlError;
use crate::store::StoredKey;
use crate::token::{Jwk, SigningKey};

/// `POST /_emulator/keys/rotate`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(description = "How long the old key stays published after a rotation.")]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// How long the old key stays published, e.g. `"1h"`; default 0 (dropped at once).
    #[serde(default)]
    pub overlap: Option<SignedDuration>,
}

/// A stored signing key as the control plane lists it; never the private key.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub kid: String,
    pub active: bool,
    /// Emulator-clock second it was stored; `null` for a configured key file.
    pub created_at: Option<i64>,
    /// When a retired key stops being published (emulator clock); `null` for the active key.
    pub retiring_at: Option<i64>,
    /// Whether the JWKS lists it now.
    pub published: bool,
}

/// The signing keys' public side, and rotation.
pub struct KeyService {
    ctx: Arc<Context>,
}

impl KeyService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// SubjectPublicKeyInfo PEM of the active key (`/public.pem`).
    pub fn public_pem(&self) -> String {
        self.ctx.tokens.active_key().public_pem.clone()
    }

    /// Every key whose tokens verify now, active one first (the JWKS).
    pub fn published(&self) -> Vec<Jwk> {
        self.ctx.tokens.published_keys(self.ctx.now())
    }

    /// `kid` of the active key.
    pub fn active_kid(&self) -> String {
        self.ctx.tokens.active_key().kid.clone()
    }

    /// PKCS#8 PEM of the active private key. Only for test harnesses that sign tokens of
    /// their own with the emulator's key (forgeries with a valid signature, say): the
    /// emulator's keys are test keys and never protect anything real.
    pub fn active_private_pem(&self) -> String {
        self.ctx.tokens.active_key().private_pem.clone()
    }

    /// `iss` of the tokens this server issues.
    pub fn issuer(&self) -> &str {
        self.ctx.tokens.issuer()
    }

    /// The stored keys, active first. With a configured key file, just that key.
    pub async fn list(&self) -> Result<Vec<KeyView>, ControlError> {
        if self.key_is_a_file() {
            return Ok(vec![view(self.active_kid(), true, None, None, true)]);
        }
        let now = self.ctx.now();
        let metas = self.ctx.store.key_metas().await?;
        let views = metas.into_iter().map(|m| {
            let published = m.active || m.retired_at.is_some_and(|t| t > now);
            view(m.kid, m.active, Some(m.created_at), m.retired_at, published)
        });
        Ok(views.collect())
    }

    /// A new active key; the old one stays published for `overlap`, then drops out.
    pub async fn rotate(&self, rotation: &Rotation) -> Result<Vec<KeyView>, ControlError> {
        if self.key_is_a_file() {
            return Err(ControlError::Conflict {
                field: None,
                message: "signing.private_key_file is configured, so the key cannot rotate".into(),
            });
        }
        let overlap = match &rotation.overlap {
            Some(overlap) => overlap.seconds("overlap")?,
            None => 0,
        };
        if overlap < 0 {
            return Err(ControlError::invalid("overlap", "must not be negative"));
        }
        let key = tokio::task::spawn_blocking(SigningKey::generate)
            .await
            .map_err(anyhow::Error::from)??;
        let stored = StoredKey {
            kid: key.kid.clone(),
            private_pem: key.private_pem.clone(),
        };
        let now = self.ctx.now();
        self.ctx
            .store
            .rotate_key(&stored, now, now.saturating_add(overlap))
            .await?;
        self.ctx.reload().await?;
        tracing::info!(kid = %key.kid, overlap, "signing key rotated");
        self.list().await
    }

    fn key_is_a_file(&self) -> bool {
        !self.ctx.settings.signing.private_key_file.trim().is_empty()
    }
}

fn view(
    kid: String,
    active: bool,
    created_at: Option<i64>,
    retiring_at: Option<i64>,
    published: bool,
) -> KeyView {
    KeyView {
        kid,
        active,
        created_at,
        retiring_at,
        published,
    }
}
