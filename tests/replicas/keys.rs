//! The signing key the replicas share (`docs/protocol.md#signing-keys`): three processes cold
//! started on an empty database agree on one generated key, and a rotation through one is what
//! all three sign with, and what another publishes and accepts, within a second. Tokens are
//! checked with the independent verifier of `tests/api/support/jwt.rs`.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::backend::Backend;
use crate::replicas::*;
use crate::support::*;

on_both_backends!(
    cold_start_publishes_one_kid: sqlite_cold_start_publishes_one_kid,
    postgres_cold_start_publishes_one_kid
);

async fn cold_start_publishes_one_kid(backend: Backend) {
    // No key file: the first key stored wins for every process (`docs/protocol.md#signing-keys`).
    let replicas = Replicas::start(backend, Setup::generated_key()).await;
    let mut kids = BTreeSet::new();
    for replica in [A, B, C] {
        let jwks = jwks(&replicas, replica).await;
        let keys = jwks["keys"].as_array().expect("a key list");
        assert_eq!(keys.len(), 1, "replica {replica} publishes one key: {jwks}");
        kids.insert(keys[0]["kid"].as_str().expect("a kid").to_owned());
    }
    assert_eq!(kids.len(), 1, "the three publish the same kid: {kids:?}");

    let published = key_from_jwk(&jwks(&replicas, A).await["keys"][0]);
    for replica in [A, B, C] {
        let jwt = minted_jwt(&replicas, replica).await;
        let signed = Jwt::parse(&jwt).verifies_with(&published);
        assert!(signed, "replica {replica} signs with the published key");
    }
}

on_both_backends!(
    rotated_on_b_verifies_on_c: sqlite_rotated_on_b_verifies_on_c,
    postgres_rotated_on_b_verifies_on_c
);

async fn rotated_on_b_verifies_on_c(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::generated_key()).await;
    let old_jwt = minted_jwt(&replicas, A).await;
    let old_kid = jwks(&replicas, C).await["keys"][0]["kid"].clone();

    let rotated = replicas.control(B, "keys/rotate", &json!({})).await;
    assert_eq!(rotated.status(), 200, "B rotates");
    let rotated: Value = rotated.json().await.expect("the key list");
    let new_kid = rotated["keys"][0]["kid"].clone();
    assert_ne!(new_kid, old_kid, "a new key is active");

    let (replicas, new_kid) = (&replicas, &new_kid);
    let took = within_a_second(
        "C publishes the new key alone, and every token verifies",
        move || async move {
            let jwks = jwks(replicas, C).await;
            let keys = jwks["keys"].as_array().expect("a key list");
            if keys.len() != 1 || keys[0]["kid"] != *new_kid {
                return false;
            }
            let published = key_from_jwk(&keys[0]);
            for replica in [A, B, C] {
                let jwt = minted_jwt(replicas, replica).await;
                if !Jwt::parse(&jwt).verifies_with(&published) {
                    return false;
                }
                let checked = replicas.user(C, &jwt, KEY_WITH_REFRESH).await;
                assert_eq!(
                    checked.status(),
                    200,
                    "C accepts replica {replica}'s new token"
                );
            }
            true
        },
    )
    .await;
    eprintln!("a rotation on B reached A, B and C's JWKS and /user in {took:?}");

    // No overlap was asked for: the old key is gone from C's check too.
    let refused = replicas.user(C, &old_jwt, KEY_WITH_REFRESH).await;
    assert_eq!(
        refused.status(),
        401,
        "a token of the retired key is refused"
    );
    let body: Value = refused.json().await.expect("problem details");
    assert_eq!(body["detail"], FORGED);
}

async fn jwks(replicas: &Replicas, replica: usize) -> Value {
    get_json(
        &replicas.api,
        &replicas.url(replica, "/.well-known/jwks.json"),
    )
    .await
}

/// An access token minted through `replica`'s control plane, signed with its active key.
async fn minted_jwt(replicas: &Replicas, replica: usize) -> String {
    let minted = replicas.mint(replica, &json!({"user": USER_NICK})).await;
    minted["jwt"].as_str().expect("a jwt").to_owned()
}
