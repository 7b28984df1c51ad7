//! Secrets as types, so none can reach a log by accident: [`Secret`] for configured values
//! (passwords, API keys, the admin token), [`OpaqueToken`] for bearer secrets the emulator hands
//! out (refresh tokens, session ids: 256 bits from the OS CSPRNG, base64url without padding),
//! and [`TokenHash`], their SHA-256, which is all the database ever keeps.

use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize, Serializer};

/// A configured secret (password, API key, admin token): never shown by `Debug` or `Serialize`.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "\"[redacted]\""
        })
    }
}

/// Serialized (e.g. by `config check`) as `[redacted]`, never in clear.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if self.0.is_empty() { "" } else { "[redacted]" })
    }
}

/// A secret in clear, as handed to a client once. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct OpaqueToken(String);

/// The SHA-256 of an [`OpaqueToken`]: what the database keeps.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl OpaqueToken {
    /// 32 bytes straight from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the OS random number generator is unavailable");
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// 32 letters and digits from the OS CSPRNG (190 bits): a client secret, which clients
    /// interpolate unencoded (`docs/protocol.md#oauth2-clients`).
    pub fn generate_alphanumeric() -> Self {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut out = String::with_capacity(32);
        while out.len() < 32 {
            let mut bytes = [0u8; 64];
            getrandom::fill(&mut bytes).expect("the OS random number generator is unavailable");
            // 248 = 4 * 62: dropping bytes above it keeps every character equally likely.
            let fair = bytes.iter().filter(|b| **b < 248);
            out.extend(
                fair.map(|b| ALPHABET[usize::from(*b) % 62] as char)
                    .take(32 - out.len()),
            );
        }
        Self(out)
    }

    /// Wraps a value a client presented.
    pub fn presented(value: &str) -> Self {
        Self(value.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::of(self.0.as_bytes())
    }
}

impl TokenHash {
    pub fn of(bytes: &[u8]) -> Self {
        let mut out = [0u8; 32];
        out.copy_from_slice(digest(&SHA256, bytes).as_ref());
        Self(out)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A form's CSRF token: base64url of the SHA-256 of `purpose` and `secrets`, NUL-separated.
    /// Bound to a secret cookie value among `secrets`, which another site cannot read.
    pub fn csrf(purpose: &str, secrets: &[&str]) -> String {
        let mut material = format!("uitid-emulator {purpose}");
        for secret in secrets {
            material.push('\0');
            material.push_str(secret);
        }
        URL_SAFE_NO_PAD.encode(Self::of(material.as_bytes()).0)
    }
}

impl std::fmt::Debug for OpaqueToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpaqueToken([redacted])")
    }
}

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TokenHash({:02x}{:02x}{:02x}{:02x}..)",
            self.0[0], self.0[1], self.0[2], self.0[3]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ten_thousand_tokens_are_unique_url_safe_and_256_bits() {
        let tokens: HashSet<String> = (0..10_000).map(|_| OpaqueToken::generate().0).collect();
        assert_eq!(tokens.len(), 10_000);
        for token in &tokens {
            assert_eq!(token.len(), 43, "32 bytes in unpadded base64url");
            assert!(
                token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
        }
    }

    #[test]
    fn generated_client_secrets_are_32_letters_and_digits_and_unique() {
        let secrets: HashSet<String> = (0..10_000)
            .map(|_| OpaqueToken::generate_alphanumeric().0)
            .collect();
        assert_eq!(secrets.len(), 10_000);
        assert!(
            secrets
                .iter()
                .all(|s| s.len() == 32 && s.bytes().all(|b| b.is_ascii_alphanumeric()))
        );
    }
}
