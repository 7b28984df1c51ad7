//! Authorization codes (`docs/protocol.md#authorization-codes`): the first use makes a chain, a
//! later one revokes it, an unknown or expired code is nothing; reset and housekeeping remove
//! codes.

use uitid_emulator::store::{Redemption, TokenFilter};

use crate::{Database, code, hash};

/// A code's first use: the chain it made.
fn first(redemption: Redemption) -> i64 {
    match redemption {
        Redemption::First { chain_id, .. } => chain_id,
        other => panic!("a first use, not {other:?}"),
    }
}

pub async fn a_code_is_redeemed_once_and_a_replay_revokes_its_chain(db: Database) {
    let store = db.open().await;
    store.insert_code(&code(1, 2_000)).await.unwrap();

    let redeemed = store
        .redeem_code(&hash(1), 1_500, &hash(50), 600)
        .await
        .unwrap();
    let Redemption::First {
        code: used,
        chain_id,
    } = redeemed
    else {
        panic!("a first use: {redeemed:?}");
    };
    assert_eq!((used.client_id.as_str(), used.sid.as_str()), ("c1", "s1"));
    assert_eq!(used.code_challenge, code(1, 0).code_challenge);
    let made = store
        .find_chain(&hash(50))
        .await
        .unwrap()
        .expect("its chain");
    assert_eq!(made.id, chain_id);
    assert_eq!(
        (made.user_uid.as_str(), made.client_id.as_str()),
        ("u1", "c1")
    );
    assert_eq!(
        (made.sid.as_str(), made.scope.as_str()),
        ("s1", "openid profile email")
    );
    assert_eq!(made.nonce.as_deref(), Some("n-0S6"));
    assert_eq!(
        (made.auth_time, made.expires_at),
        (1_000, 1_600),
        "auth_time + max_age"
    );
    assert_eq!((made.rotations, made.revoked_at), (0, None));

    let replayed = store
        .redeem_code(&hash(1), 1_550, &hash(51), 600)
        .await
        .unwrap();

    assert!(
        matches!(replayed, Redemption::Replayed { .. }),
        "{replayed:?}"
    );
    assert!(
        store.find_chain(&hash(51)).await.unwrap().is_none(),
        "no second chain"
    );
    let revoked = store.find_chain(&hash(50)).await.unwrap().unwrap();
    assert_eq!(revoked.revoked_at, Some(1_550));
    let listed = store
        .list_refresh_tokens(&TokenFilter::default())
        .await
        .unwrap();
    assert_eq!(listed[0].revoked_reason.as_deref(), Some("code_replay"));
    let again = store
        .redeem_code(&hash(1), 1_560, &hash(52), 600)
        .await
        .unwrap();
    assert!(
        matches!(again, Redemption::Replayed { .. }),
        "still a replay"
    );
    let still = store.find_chain(&hash(50)).await.unwrap().unwrap();
    assert_eq!(still.revoked_at, Some(1_550), "the first revocation stays");
}

pub async fn unknown_and_expired_codes_are_nothing(db: Database) {
    let store = db.open().await;
    store.insert_code(&code(1, 2_000)).await.unwrap();

    let unknown = store
        .redeem_code(&hash(9), 1_500, &hash(50), 600)
        .await
        .unwrap();
    let expired = store
        .redeem_code(&hash(1), 2_000, &hash(51), 600)
        .await
        .unwrap();
    let after = store
        .redeem_code(&hash(1), 2_001, &hash(52), 600)
        .await
        .unwrap();

    assert!(matches!(unknown, Redemption::Unknown), "{unknown:?}");
    assert!(
        matches!(expired, Redemption::Unknown),
        "at expires_at: {expired:?}"
    );
    assert!(
        matches!(after, Redemption::Unknown),
        "never used: {after:?}"
    );
    let listed = store
        .list_refresh_tokens(&TokenFilter::default())
        .await
        .unwrap();
    assert!(listed.is_empty(), "no chain: {listed:?}");
}

pub async fn of_two_replicas_redeeming_one_code_at_once_exactly_one_gets_it(db: Database) {
    let (a, b) = (db.open().await, db.open().await);
    a.insert_code(&code(1, 2_000)).await.unwrap();

    let (presented, for_a, for_b) = (hash(1), hash(50), hash(51));
    let (one, other) = tokio::join!(
        a.redeem_code(&presented, 1_500, &for_a, 600),
        b.redeem_code(&presented, 1_500, &for_b, 600),
    );

    let (one, other) = (one.unwrap(), other.unwrap());
    let firsts = [&one, &other]
        .iter()
        .filter(|r| matches!(r, Redemption::First { .. }))
        .count();
    assert_eq!(firsts, 1, "{one:?} {other:?}");
    let chains = a
        .list_refresh_tokens(&TokenFilter::default())
        .await
        .unwrap();
    assert_eq!(chains.len(), 1, "one chain");
    assert_eq!(
        chains[0].revoked_reason.as_deref(),
        Some("code_replay"),
        "the other replayed it"
    );
}

pub async fn reset_deletes_codes_and_retired_tokens(db: Database) {
    let store = db.open().await;
    store.insert_code(&code(1, 2_000)).await.unwrap();
    let id = first(
        store
            .redeem_code(&hash(1), 1_500, &hash(50), 600)
            .await
            .unwrap(),
    );
    assert!(
        store
            .rotate_chain(id, &hash(50), &hash(60), b"sealed", 1_510)
            .await
            .unwrap()
    );
    store.insert_code(&code(2, 2_000)).await.unwrap();

    store.reset().await.unwrap();

    for byte in [1, 2] {
        let gone = store
            .redeem_code(&hash(byte), 1_600, &hash(70 + byte), 600)
            .await
            .unwrap();
        assert!(matches!(gone, Redemption::Unknown), "code {byte}: {gone:?}");
    }
    assert!(store.find_retired_token(&hash(50)).await.unwrap().is_none());
    assert!(store.find_chain(&hash(60)).await.unwrap().is_none());
}

pub async fn pruning_removes_old_codes_and_the_retired_tokens_of_ended_chains(db: Database) {
    let store = db.open().await;
    store.insert_code(&code(1, 1_000)).await.unwrap();
    store.insert_code(&code(2, 5_000)).await.unwrap();
    let old = first(
        store
            .redeem_code(&hash(1), 500, &hash(50), 1_500)
            .await
            .unwrap(),
    );
    let young = first(
        store
            .redeem_code(&hash(2), 600, &hash(51), 9_000)
            .await
            .unwrap(),
    );
    assert!(
        store
            .rotate_chain(old, &hash(50), &hash(60), b"s", 700)
            .await
            .unwrap()
    );
    assert!(
        store
            .rotate_chain(young, &hash(51), &hash(61), b"s", 700)
            .await
            .unwrap()
    );

    // Now 3,000; revoked or used codes kept until 2,000. The old chain ended at 2,500.
    let pruned = store.prune_expired(3_000, 2_000, 100).await.unwrap();

    assert_eq!(
        pruned, 3,
        "the old code, the ended chain and its retired token"
    );
    let old_code = store
        .redeem_code(&hash(1), 3_000, &hash(80), 600)
        .await
        .unwrap();
    assert!(matches!(old_code, Redemption::Unknown), "{old_code:?}");
    let young_code = store
        .redeem_code(&hash(2), 3_000, &hash(81), 600)
        .await
        .unwrap();
    assert!(
        matches!(young_code, Redemption::Replayed { .. }),
        "{young_code:?}"
    );
    assert!(store.find_retired_token(&hash(50)).await.unwrap().is_none());
    let kept = store
        .find_retired_token(&hash(51))
        .await
        .unwrap()
        .expect("kept");
    assert_eq!(kept.chain.id, young);
    assert!(
        store.find_chain(&hash(60)).await.unwrap().is_none(),
        "the ended chain"
    );
}
