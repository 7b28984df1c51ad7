//! 500 refreshes at once, spread over the three replicas and over tokens each issued by another
//! one: every one answers 200 with a token signed by the shared key (no 5xx from a locked or
//! busy database, `docs/reliability.md#concurrency`).

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::json;

use crate::backend::Backend;
use crate::replicas::*;
use crate::support::*;

const REFRESHES: usize = 500;

on_both_backends!(
    refreshes_at_once_on_three: sqlite_refreshes_at_once_on_three,
    postgres_refreshes_at_once_on_three
);

async fn refreshes_at_once_on_three(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let mut tokens = vec![];
    // Four tokens, so that token i % 4 is refreshed on replica i % 3: each on all three.
    for replica in [A, B, C, A] {
        let body = json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH});
        let minted = replicas.mint(replica, &body).await;
        tokens.push(
            minted["refresh"]
                .as_str()
                .expect("a refresh token")
                .to_owned(),
        );
    }

    let started = Instant::now();
    let (statuses, bodies) = replicas.refresh_burst(&tokens, REFRESHES).await;
    eprintln!(
        "{REFRESHES} refreshes at once on three replicas in {:?}",
        started.elapsed()
    );
    assert_eq!(
        statuses,
        BTreeMap::from([(200, REFRESHES)]),
        "every refresh answers 200"
    );

    let public = key_from_pem(&text(replicas.get(C, "/public.pem").await).await);
    for jwt in bodies {
        let jwt = Jwt::parse(&jwt);
        assert!(jwt.verifies_with(&public), "a valid token: {}", jwt.payload);
        assert_eq!(jwt.claims()["uid"], USER_UID);
    }
}
