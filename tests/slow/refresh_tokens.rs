//! `docs/reliability.md#secrets`: refresh tokens as the server hands them out (1,000 reduced,
//! 10,000 full) are all distinct, of one length, URL-safe, and 256 bits that look random: every
//! bit position is set in about half of them, as it would be if they came from a CSPRNG and not
//! from a counter, a clock or a short seed.

use std::collections::HashSet;
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use tokio::task::JoinSet;

use crate::scale;
use crate::support::*;

const PARALLEL: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "slow suite: cargo test --test slow -- --ignored"]
async fn issued_refresh_tokens_are_distinct_url_safe_256_bit_and_every_bit_is_balanced() {
    let count = scale::size("refresh tokens issued", 1_000, 10_000);
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let started = Instant::now();
    let mut tokens = vec![];
    while tokens.len() < count {
        let mut mints = JoinSet::new();
        for _ in 0..PARALLEL.min(count - tokens.len()) {
            let app = app.clone();
            mints.spawn(async move {
                let minted = mint(
                    &app,
                    json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH}),
                );
                minted.await["refresh"]
                    .as_str()
                    .expect("a refresh token")
                    .to_owned()
            });
        }
        tokens.extend(mints.join_all().await);
    }
    eprintln!("{count} refresh tokens minted in {:?}", started.elapsed());

    let distinct: HashSet<&String> = tokens.iter().collect();
    assert_eq!(distinct.len(), count, "all distinct");
    let url_safe = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut ones = [0usize; 256];
    for token in &tokens {
        assert_eq!(token.len(), tokens[0].len(), "one length: {token}");
        assert!(token.bytes().all(url_safe), "URL-safe: {token}");
        let bytes = URL_SAFE_NO_PAD.decode(token).expect("unpadded base64url");
        assert_eq!(bytes.len(), 32, "256 bits: {token}");
        for (bit, one) in ones.iter_mut().enumerate() {
            *one += usize::from(bytes[bit / 8] >> (bit % 8) & 1 == 1);
        }
    }
    // A fair bit is set count/2 times, give or take sqrt(count)/2 (one standard deviation);
    // six of them make a false alarm all but impossible (256 bits: about 1 run in 2 million).
    let slack = 6.0 * (count as f64).sqrt() / 2.0;
    let (least, most) = (ones.iter().min().unwrap(), ones.iter().max().unwrap());
    eprintln!("each bit set in {least} to {most} of {count} tokens (allowed: ±{slack:.0})");
    for (bit, &set) in ones.iter().enumerate() {
        let off = (set as f64 - count as f64 / 2.0).abs();
        assert!(off <= slack, "bit {bit} is set in {set} of {count} tokens");
    }
}
