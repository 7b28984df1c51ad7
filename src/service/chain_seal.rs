//! The grace window of rotating refresh tokens (`docs/protocol.md#rotating-refresh-tokens`):
//! a retired token used again within `[oauth] refresh_reuse_grace` answers with the same next
//! token. The database never holds a token in clear, so the next token is kept sealed
//! (AES-256-GCM) under a key derived from the retired token: only whoever holds that token can
//! open it, and they were entitled to its answer anyway.

use aws_lc_rs::aead::{AES_256_GCM, Aad, Nonce, RandomizedNonceKey};

use crate::secret::{OpaqueToken, TokenHash};

const NONCE_LEN: usize = 12;

fn key_for(retired: &OpaqueToken) -> RandomizedNonceKey {
    let material = format!("uitid-emulator successor\0{}", retired.as_str());
    let key = TokenHash::of(material.as_bytes());
    RandomizedNonceKey::new(&AES_256_GCM, &key.0).expect("a 32-byte key fits AES-256")
}

/// `successor` sealed for the holder of `retired`: nonce, then ciphertext and tag.
pub fn seal(retired: &OpaqueToken, successor: &OpaqueToken) -> Vec<u8> {
    let mut sealed = successor.as_str().as_bytes().to_vec();
    let nonce = key_for(retired)
        .seal_in_place_append_tag(Aad::empty(), &mut sealed)
        .expect("AES-GCM sealing a short message cannot fail");
    let mut out = nonce.as_ref().to_vec();
    out.extend_from_slice(&sealed);
    out
}

/// The successor `seal` hid, if `sealed` was made for `retired` and is intact.
pub fn open(retired: &OpaqueToken, sealed: &[u8]) -> Option<OpaqueToken> {
    if sealed.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut buffer = ciphertext.to_vec();
    let plain = key_for(retired)
        .open_in_place(nonce, Aad::empty(), &mut buffer)
        .ok()?;
    let text = std::str::from_utf8(plain).ok()?;
    Some(OpaqueToken::presented(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_retired_token_opens_its_successor() {
        let retired = OpaqueToken::generate();
        let successor = OpaqueToken::generate();
        let sealed = seal(&retired, &successor);
        assert!(
            !sealed
                .windows(8)
                .any(|w| successor.as_str().as_bytes().starts_with(w))
        );
        assert_eq!(open(&retired, &sealed).as_ref(), Some(&successor));
        assert_eq!(open(&OpaqueToken::generate(), &sealed), None);
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(open(&retired, &tampered), None);
        assert_eq!(open(&retired, &sealed[..5]), None);
    }
}
