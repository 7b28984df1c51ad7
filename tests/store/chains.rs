//! Rotating refresh-token chains (`docs/protocol.md#rotating-refresh-tokens`): a rotation is a
//! compare-and-swap of the current token that exactly one of two replicas wins, the old token is
//! kept as retired, revocation says why, and logout revokes a session's chains but offline ones.

use uitid_emulator::store::{FlowKind, FlowRecord, SessionRecord, TokenFilter};

use crate::{Database, chain, hash, token};

const ONLINE: &str = "openid profile email";
const OFFLINE: &str = "profile email offline_access";

pub async fn of_two_replicas_rotating_one_token_at_once_exactly_one_wins(db: Database) {
    let (a, b) = (db.open().await, db.open().await);
    let id = a
        .insert_chain(&chain(1, "s1", ONLINE, 9_000))
        .await
        .unwrap();

    let (old, two, three) = (hash(1), hash(2), hash(3));
    let (one, other) = tokio::join!(
        a.rotate_chain(id, &old, &two, b"to two", 1_500),
        b.rotate_chain(id, &old, &three, b"to three", 1_500),
    );

    let (one, other) = (one.unwrap(), other.unwrap());
    assert!(one ^ other, "exactly one rotation wins: {one} {other}");
    let (winner, loser) = if one { (2, 3) } else { (3, 2) };
    let current = a
        .find_chain(&hash(winner))
        .await
        .unwrap()
        .expect("the winner's");
    assert_eq!((current.id, current.rotations), (id, 1));
    assert!(a.find_chain(&hash(loser)).await.unwrap().is_none());
    assert!(
        a.find_chain(&hash(1)).await.unwrap().is_none(),
        "the old token is not current"
    );
    let retired = a
        .find_retired_token(&hash(1))
        .await
        .unwrap()
        .expect("retired");
    let sealed: &[u8] = if one { b"to two" } else { b"to three" };
    assert_eq!(retired.successor_sealed, sealed);
    let listed = a
        .list_refresh_tokens(&TokenFilter::default())
        .await
        .unwrap();
    assert_eq!(
        (listed[0].rotations, listed[0].last_used_at),
        (1, Some(1_500))
    );
}

pub async fn a_retired_token_is_found_with_its_chain_as_it_is_now(db: Database) {
    let store = db.open().await;
    let id = store
        .insert_chain(&chain(1, "s1", ONLINE, 9_000))
        .await
        .unwrap();
    store
        .insert_refresh_token(&token(9, "u1", 7, None))
        .await
        .unwrap();
    assert!(
        store.find_retired_token(&hash(1)).await.unwrap().is_none(),
        "not retired yet"
    );

    assert!(
        store
            .rotate_chain(id, &hash(1), &hash(2), b"s12", 1_100)
            .await
            .unwrap()
    );
    assert!(
        store
            .rotate_chain(id, &hash(2), &hash(3), b"s23", 1_200)
            .await
            .unwrap()
    );
    let stale = store
        .rotate_chain(id, &hash(1), &hash(4), b"s14", 1_300)
        .await
        .unwrap();

    assert!(!stale, "a retired token cannot rotate the chain");
    let retired = store
        .find_retired_token(&hash(1))
        .await
        .unwrap()
        .expect("retired");
    assert_eq!(
        (retired.retired_at, retired.successor_sealed.as_slice()),
        (1_100, &b"s12"[..])
    );
    assert_eq!(retired.chain.id, id);
    assert_eq!(
        retired.chain.token_hash,
        hash(3).to_vec(),
        "the chain's current token"
    );
    assert_eq!(retired.chain.rotations, 2);
    assert_eq!(retired.chain.expires_at, 9_000);
    assert!(store.find_retired_token(&hash(4)).await.unwrap().is_none());
    assert!(
        store.find_retired_token(&hash(7)).await.unwrap().is_none(),
        "unknown"
    );
    let provider = store.find_chain(&hash(9)).await.unwrap();
    assert!(provider.is_none(), "a JWT-provider token is no chain");
    assert!(store.find_retired_token(&hash(9)).await.unwrap().is_none());
}

pub async fn revoking_a_chain_says_whether_it_was_live_and_why(db: Database) {
    let store = db.open().await;
    let id = store
        .insert_chain(&chain(1, "s1", ONLINE, 9_000))
        .await
        .unwrap();

    assert!(store.revoke_chain(id, "reuse", 1_500).await.unwrap());
    assert!(
        !store.revoke_chain(id, "logout", 1_600).await.unwrap(),
        "once"
    );
    assert!(
        !store.revoke_chain(id + 100, "reuse", 1_600).await.unwrap(),
        "unknown"
    );

    let revoked = store
        .find_chain(&hash(1))
        .await
        .unwrap()
        .expect("still found");
    assert_eq!(revoked.revoked_at, Some(1_500));
    let listed = store
        .list_refresh_tokens(&TokenFilter::default())
        .await
        .unwrap();
    assert_eq!(
        listed[0].revoked_reason.as_deref(),
        Some("reuse"),
        "the first reason stays"
    );
    assert_eq!(listed[0].client_id.as_deref(), Some("c1"));
    let rotated = store
        .rotate_chain(id, &hash(1), &hash(2), b"s", 1_700)
        .await
        .unwrap();
    assert!(!rotated, "a revoked chain does not rotate");
}

pub async fn a_session_chain_is_live_only_for_its_session_and_client_until_it_ends(db: Database) {
    let store = db.open().await;
    let id = store
        .insert_chain(&chain(1, "s1", ONLINE, 5_000))
        .await
        .unwrap();

    let live = |sid: &'static str, client: &'static str, now: i64| {
        let store = store.clone();
        async move { store.session_chain_live(sid, client, now).await.unwrap() }
    };
    assert!(live("s1", "c1", 4_999).await);
    assert!(!live("s1", "c2", 4_999).await, "another client");
    assert!(!live("s2", "c1", 4_999).await, "another session");
    assert!(!live("s1", "c1", 5_000).await, "ended");
    store
        .revoke_chain(id, "revoked_by_client", 2_000)
        .await
        .unwrap();
    assert!(!live("s1", "c1", 2_001).await, "revoked");
    store
        .insert_chain(&chain(2, "s1", ONLINE, 5_000))
        .await
        .unwrap();
    assert!(
        live("s1", "c1", 2_001).await,
        "another live chain of the session"
    );
}

pub async fn ending_a_session_revokes_its_chains_but_offline_ones(db: Database) {
    let store = db.open().await;
    let flow = FlowRecord {
        id: "f1".to_owned(),
        destination: String::new(),
        api_key_hash: None,
        lang: "nl".to_owned(),
        browser_hash: hash(7).to_vec(),
        expires_at: 2_000,
        authorization: None,
    };
    store
        .insert_flow(FlowKind::Login, &flow, 1_000)
        .await
        .unwrap();
    let session = SessionRecord {
        id_hash: hash(30).to_vec(),
        user_uid: "u1".to_owned(),
        created_at: 1_000,
        expires_at: 9_000,
        sid: "s1".to_owned(),
    };
    let finished = store.finish_login("f1", 1_000, None, &session, None, None);
    assert!(finished.await.unwrap());
    let online = store
        .insert_chain(&chain(1, "s1", ONLINE, 9_000))
        .await
        .unwrap();
    store
        .insert_chain(&chain(2, "s1", OFFLINE, 9_000))
        .await
        .unwrap();
    store
        .insert_chain(&chain(3, "s2", ONLINE, 9_000))
        .await
        .unwrap();

    assert_eq!(store.end_session("s1", 1_500).await.unwrap(), 1);

    assert!(
        store
            .find_session(&hash(30), 1_500)
            .await
            .unwrap()
            .is_none(),
        "session gone"
    );
    let state = |byte| {
        let store = store.clone();
        async move {
            store
                .find_chain(&hash(byte))
                .await
                .unwrap()
                .unwrap()
                .revoked_at
        }
    };
    assert_eq!(state(1).await, Some(1_500));
    assert_eq!(state(2).await, None, "offline_access survives");
    assert_eq!(state(3).await, None, "another session");
    let listed = store
        .list_refresh_tokens(&TokenFilter::default())
        .await
        .unwrap();
    let reason = listed
        .iter()
        .find(|t| t.id == online)
        .unwrap()
        .revoked_reason
        .clone();
    assert_eq!(reason.as_deref(), Some("logout"));
    assert_eq!(
        store.end_session("s1", 1_600).await.unwrap(),
        0,
        "nothing left to end"
    );
}
