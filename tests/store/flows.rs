//! Login and logout flows, SSO sessions, and the housekeeping purge.

use uitid_emulator::store::{FlowKind, FlowRecord, SessionRecord, TokenFilter};

use crate::{Database, hash, token};

fn flow(id: &str, expires_at: i64) -> FlowRecord {
    FlowRecord {
        id: id.to_owned(),
        destination: "https://app.example.test/callback?x=1".to_owned(),
        api_key_hash: Some(hash(9).to_vec()),
        lang: "fr".to_owned(),
        browser_hash: hash(7).to_vec(),
        expires_at,
        authorization: Some(r#"{"client_id":"c"}"#.to_owned()),
    }
}

fn session(byte: u8, uid: &str, expires_at: i64) -> SessionRecord {
    SessionRecord {
        id_hash: hash(byte).to_vec(),
        user_uid: uid.to_owned(),
        created_at: 1_000,
        expires_at,
        sid: format!("sid-{byte}"),
    }
}

pub async fn flows_expire_and_are_taken_once(db: Database) {
    let store = db.open().await;
    store
        .insert_flow(FlowKind::Login, &flow("f1", 2_000), 1_000)
        .await
        .unwrap();

    let found = store
        .find_flow(FlowKind::Login, "f1", 1_999)
        .await
        .unwrap()
        .expect("live");
    assert_eq!(
        (found.destination.as_str(), found.lang.as_str()),
        (flow("", 0).destination.as_str(), "fr")
    );
    assert_eq!(found.api_key_hash, Some(hash(9).to_vec()));
    assert!(
        store
            .find_flow(FlowKind::Login, "f1", 2_000)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(
        store
            .find_flow(FlowKind::Logout, "f1", 1_500)
            .await
            .unwrap()
            .is_none(),
        "other kind"
    );

    assert!(
        store
            .take_flow(FlowKind::Login, "f1", 1_500)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .take_flow(FlowKind::Login, "f1", 1_500)
            .await
            .unwrap()
            .is_none(),
        "once"
    );

    store
        .insert_flow(FlowKind::Logout, &flow("f2", 2_000), 1_000)
        .await
        .unwrap();
    store.delete_flow("f2").await.unwrap();
    assert!(
        store
            .find_flow(FlowKind::Logout, "f2", 1_500)
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn finishing_a_login_is_atomic_and_once(db: Database) {
    let (a, b) = (db.open().await, db.open().await);
    a.insert_flow(FlowKind::Login, &flow("f1", 2_000), 1_000)
        .await
        .unwrap();
    let refresh = token(1, "u1", 9, None);

    // Two replicas finish the same flow at once: exactly one wins, one token is stored.
    let (s3, s4) = (session(3, "u1", 9_000), session(4, "u1", 9_000));
    let (first, second) = tokio::join!(
        a.finish_login("f1", 1_500, None, &s3, Some(&refresh), None),
        b.finish_login("f1", 1_500, None, &s4, Some(&refresh), None),
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert!(
        first ^ second,
        "exactly one finishes the flow: {first} {second}"
    );
    let tokens = a
        .list_refresh_tokens(&TokenFilter::default())
        .await
        .unwrap();
    assert_eq!(tokens.len(), 1);

    a.insert_flow(FlowKind::Login, &flow("f2", 2_000), 1_000)
        .await
        .unwrap();
    let s5 = session(5, "u1", 9_000);
    let expired = a
        .finish_login("f2", 2_000, None, &s5, None, None)
        .await
        .unwrap();
    assert!(!expired, "an expired flow does not finish");
    assert!(
        a.find_session(&hash(5), 1_500).await.unwrap().is_none(),
        "nor leaves a session"
    );
}

pub async fn sessions_expire_and_are_replaced(db: Database) {
    let store = db.open().await;
    store
        .insert_flow(FlowKind::Login, &flow("f1", 2_000), 1_000)
        .await
        .unwrap();
    store
        .finish_login("f1", 1_100, None, &session(3, "u1", 5_000), None, None)
        .await
        .unwrap();
    let found = store
        .find_session(&hash(3), 4_999)
        .await
        .unwrap()
        .expect("live");
    assert_eq!((found.user_uid.as_str(), found.expires_at), ("u1", 5_000));
    assert!(
        store.find_session(&hash(3), 5_000).await.unwrap().is_none(),
        "expired"
    );

    // A new login in the same browser replaces its session.
    store
        .insert_flow(FlowKind::Login, &flow("f2", 2_000), 1_000)
        .await
        .unwrap();
    let old = Some(hash(3));
    store
        .finish_login("f2", 1_200, old, &session(4, "u2", 5_000), None, None)
        .await
        .unwrap();
    assert!(
        store.find_session(&hash(3), 1_300).await.unwrap().is_none(),
        "old one gone"
    );
    assert!(store.find_session(&hash(4), 1_300).await.unwrap().is_some());

    store.delete_session(&hash(4)).await.unwrap();
    assert!(store.find_session(&hash(4), 1_300).await.unwrap().is_none());
}

pub async fn purging_drops_only_what_expired(db: Database) {
    let store = db.open().await;
    store
        .insert_flow(FlowKind::Login, &flow("old", 2_000), 1_000)
        .await
        .unwrap();
    store
        .insert_flow(FlowKind::Login, &flow("new", 4_000), 1_000)
        .await
        .unwrap();
    for (byte, expires_at) in [
        (1, Some(2_000)),
        (2, Some(4_000)),
        (3, None),
        (4, None),
        (5, None),
        (6, Some(1)),
    ] {
        store
            .insert_refresh_token(&token(byte, "u1", 9, expires_at))
            .await
            .unwrap();
    }
    let id = |byte| {
        let store = store.clone();
        async move {
            store
                .find_refresh_token(&hash(byte))
                .await
                .unwrap()
                .unwrap()
                .id
        }
    };
    store
        .revoke_refresh_token(id(4).await, 1_000)
        .await
        .unwrap();
    store
        .revoke_refresh_token(id(5).await, 2_500)
        .await
        .unwrap();

    // A batch of one: at most one row of each kind (the expired flow, two expired tokens: one
    // of them, the long-revoked token).
    assert_eq!(store.prune_expired(3_000, 2_000, 1).await.unwrap(), 3);
    assert_eq!(
        store.prune_expired(3_000, 2_000, 1).await.unwrap(),
        1,
        "the other token"
    );
    assert_eq!(store.prune_expired(3_000, 2_000, 1).await.unwrap(), 0);

    assert!(
        store
            .find_flow(FlowKind::Login, "old", 1_500)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .find_flow(FlowKind::Login, "new", 1_500)
            .await
            .unwrap()
            .is_some()
    );
    let left = |byte| {
        let store = store.clone();
        async move {
            store
                .find_refresh_token(&hash(byte))
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(!left(1).await && !left(6).await, "expired");
    assert!(left(2).await, "still valid");
    assert!(left(3).await, "never expires");
    assert!(!left(4).await, "revoked before the bound");
    assert!(left(5).await, "revoked recently: still listed");
}
