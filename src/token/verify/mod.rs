//! The Entry API's token check (`docs/protocol.md#entry-api-check`), in the order upstream applies
//! it. One policy in one place: RS256 only, a published key only, 30 s leeway, accepted issuers,
//! required claims (which depend on the token's kind, `kind.rs`). jsonwebtoken's `Validation` reads the system clock, so time checks are done
//! here against the emulator's clock instead; the signature is checked with jsonwebtoken.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

mod kind;

pub use kind::{PUBLIQ_APIS, TokenKind, audience_contains, lists_api};

/// Tolerance for clock differences between issuer and resource server (30 s,
/// `docs/protocol.md#entry-api-check`).
pub const LEEWAY_SECONDS: i64 = 30;

/// Why a token was refused; each maps to one of upstream's detail texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotAJwt,
    BadSignature,
    Expired,
    BadIssuer,
    MissingClaims,
}

impl Refusal {
    /// A fixed word for metrics labels.
    pub fn as_reason(self) -> &'static str {
        match self {
            Self::NotAJwt => "entry_api_not_a_jwt",
            Self::BadSignature => "entry_api_bad_signature",
            Self::Expired => "entry_api_expired",
            Self::BadIssuer => "entry_api_bad_issuer",
            Self::MissingClaims => "entry_api_missing_claims",
        }
    }
}

/// A public key tokens may be signed with.
#[derive(Clone)]
pub struct VerifyingKey {
    pub kid: String,
    key: DecodingKey,
}

impl VerifyingKey {
    pub fn from_components(kid: &str, n: &str, e: &str) -> anyhow::Result<Self> {
        Ok(Self {
            kid: kid.to_owned(),
            key: DecodingKey::from_rsa_components(n, e)?,
        })
    }
}

/// Checks `token` and returns its claims.
pub fn check(
    token: &str,
    keys: &[VerifyingKey],
    issuers: &[String],
    now: i64,
) -> Result<Map<String, Value>, Refusal> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::NotAJwt);
    };
    let header = decode_object(header).ok_or(Refusal::NotAJwt)?;
    let claims = decode_object(payload).ok_or(Refusal::NotAJwt)?;
    if URL_SAFE_NO_PAD.decode(signature).is_err() {
        return Err(Refusal::NotAJwt);
    }
    // RFC 7515 section 4.1.11: a token is invalid when `crit` lists an extension the recipient
    // does not understand, and this check understands none (an empty list is invalid too).
    if header.contains_key("crit") {
        return Err(Refusal::NotAJwt);
    }
    // `alg: none`, HS256 with the public key as secret, or any other algorithm: refused here.
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(Refusal::BadSignature);
    }
    let message = &token.as_bytes()[..header_and_payload_len(token)];
    // With a `kid`, only that key may have signed; without one (v1 tokens), any published key.
    let kid = header.get("kid").and_then(Value::as_str);
    let verified = keys
        .iter()
        .filter(|k| kid.is_none_or(|kid| k.kid == kid))
        .any(|k| {
            jsonwebtoken::crypto::verify(signature, message, &k.key, Algorithm::RS256)
                .unwrap_or(false)
        });
    if !verified {
        return Err(Refusal::BadSignature);
    }
    let exp = claims.get("exp").and_then(Value::as_i64);
    let nbf = claims.get("nbf").and_then(Value::as_i64);
    // Saturating: a validly signed token may carry any number (`POST /_emulator/tokens` with
    // `claims`), and `i64::MAX` means "never expires", not an overflow.
    if exp.is_some_and(|exp| now > exp.saturating_add(LEEWAY_SECONDS))
        || nbf.is_some_and(|nbf| now.saturating_add(LEEWAY_SECONDS) < nbf)
    {
        return Err(Refusal::Expired);
    }
    let issuer = claims.get("iss").and_then(Value::as_str);
    if !issuer.is_some_and(|iss| issuers.iter().any(|i| i == iss)) {
        return Err(Refusal::BadIssuer);
    }
    let has_subject = claims
        .get(TokenKind::of(&claims).subject_claim())
        .and_then(Value::as_str)
        .is_some_and(|v| !v.is_empty());
    if exp.is_none() || !has_subject {
        return Err(Refusal::MissingClaims);
    }
    Ok(claims)
}

fn decode_object(part: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

fn header_and_payload_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(token.len())
}

#[cfg(test)]
mod tests;
