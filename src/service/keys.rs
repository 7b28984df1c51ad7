//! Key publication (`docs/protocol.md#keys`): what resource servers verify tokens with, and
//! the issuer they expect.

use std::sync::Arc;

use super::Context;
use crate::token::Jwk;

/// The signing keys' public side.
pub struct KeyService {
    ctx: Arc<Context>,
}

impl KeyService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// SubjectPublicKeyInfo PEM of the active key (`/public.pem`).
    pub fn public_pem(&self) -> &str {
        &self.ctx.tokens.active_key().public_pem
    }

    /// Every key whose tokens still verify, active one first (the JWKS).
    pub fn published(&self) -> &[Jwk] {
        self.ctx.tokens.published_keys()
    }

    /// `kid` of the active key.
    pub fn active_kid(&self) -> &str {
        &self.ctx.tokens.active_key().kid
    }

    /// PKCS#8 PEM of the active private key. Only for test harnesses that sign tokens of
    /// their own with the emulator's key (forgeries with a valid signature, say): the
    /// emulator's keys are test keys and never protect anything real.
    pub fn active_private_pem(&self) -> &str {
        &self.ctx.tokens.active_key().private_pem
    }

    /// `iss` of the tokens this server issues.
    pub fn issuer(&self) -> &str {
        self.ctx.tokens.issuer()
    }
}
