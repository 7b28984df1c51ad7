//! Tokens broken on purpose for `token` faults (`docs/protocol.md#faults`): a token this
//! service just issued, altered in one way only, so a client's check of exactly that property
//! is what fails.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::{LEEWAY_SECONDS, TokenService, json, sign};
use crate::fault::BrokenToken;

/// The issuer a `wrong_issuer` token names: a reserved domain no configuration accepts.
pub const WRONG_ISSUER: &str = "https://wrong-issuer.example/";
/// The `kid` an `unknown_kid` token names; no key's thumbprint has this form.
pub const UNKNOWN_KID: &str = "unknown-kid";

impl TokenService {
    /// `jwt` (issued by this service) broken as `how` says, at `now` (emulator clock).
    pub fn broken(&self, jwt: &str, how: BrokenToken, now: i64) -> anyhow::Result<String> {
        let mut parts = jwt.split('.');
        let (Some(header), Some(payload), Some(signature)) =
            (parts.next(), parts.next(), parts.next())
        else {
            anyhow::bail!("not a JWS: cannot break it");
        };
        let mut header = decode(header)?;
        let mut claims = decode(payload)?;
        // Only v1 tokens (PHP-style JSON) have no `kid`; the others keep serde's style.
        let php = !header.contains_key("kid");
        match how {
            BrokenToken::Malformed => return Ok(format!("{}.{}", part(jwt, 0), part(jwt, 1))),
            BrokenToken::BadSignature => {
                let mut bytes = URL_SAFE_NO_PAD.decode(signature)?;
                if let Some(last) = bytes.last_mut() {
                    *last ^= 0x01;
                }
                let signature = URL_SAFE_NO_PAD.encode(bytes);
                return Ok(format!("{}.{}.{signature}", part(jwt, 0), part(jwt, 1)));
            }
            BrokenToken::Expired => {
                let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(now);
                // Ran out a minute before the Entry API's leeway would cover it.
                let new_exp = now.saturating_sub(LEEWAY_SECONDS + 60);
                // Saturating: minted or configured claims may hold any 64-bit value.
                let shift = new_exp.saturating_sub(exp);
                for name in ["iat", "nbf", "auth_time"] {
                    if let Some(t) = claims.get(name).and_then(Value::as_i64) {
                        claims.insert(name.to_owned(), Value::from(t.saturating_add(shift)));
                    }
                }
                claims.insert("exp".to_owned(), Value::from(new_exp));
            }
            BrokenToken::WrongIssuer => {
                claims.insert("iss".to_owned(), Value::from(WRONG_ISSUER));
            }
            BrokenToken::UnknownKid => {
                header.insert("kid".to_owned(), Value::from(UNKNOWN_KID));
            }
        }
        // Re-signed with the active key, in the token's own JSON style.
        sign(
            &self.active_key(),
            &json::to_json(&header, php),
            &json::to_json(&claims, php),
        )
    }
}

fn part(jwt: &str, index: usize) -> &str {
    jwt.split('.').nth(index).unwrap_or("")
}

fn decode(part: &str) -> anyhow::Result<Map<String, Value>> {
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part)?)? {
        Value::Object(map) => Ok(map),
        _ => anyhow::bail!("a JWS part is not a JSON object"),
    }
}
