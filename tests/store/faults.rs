//! Faults: matched by route, key, user and whether the answer carries a token; each use goes
//! to exactly one request, whichever replica serves it.

use uitid_emulator::store::ClaimQuery;

use crate::{Database, fault, hash};

fn claim<'a>(route: &'a str, key: Option<&'a [u8]>, user: Option<&'a str>) -> ClaimQuery<'a> {
    ClaimQuery {
        route,
        api_key_hash: key,
        user_uid: user,
        client_id: None,
        carries_token: true,
    }
}

pub async fn token_endpoint_faults_match_their_client(db: Database) {
    let store = db.open().await;
    let mut for_client = fault("/realms/uitid/protocol/openid-connect/token", 2);
    for_client.client_id = Some("c1".into());
    let (id, _) = store.insert_fault(&for_client).await.unwrap();
    let for_client_id = |client| ClaimQuery {
        client_id: client,
        ..claim("/realms/uitid/protocol/openid-connect/token", None, None)
    };

    assert!(
        store
            .claim_fault(for_client_id(Some("c2")))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .claim_fault(for_client_id(None))
            .await
            .unwrap()
            .is_none()
    );
    let got = store.claim_fault(for_client_id(Some("c1"))).await.unwrap();
    let got = got.expect("the client's fault");
    assert_eq!(
        (got.id, got.remaining, got.client_id.as_deref()),
        (id, 1, Some("c1"))
    );
    let pending = db.open().await.pending_faults().await.unwrap();
    assert_eq!(
        pending[0].client_id.as_deref(),
        Some("c1"),
        "listed with its client"
    );
}

pub async fn faults_match_route_key_user_and_token(db: Database) {
    let store = db.open().await;
    let key = hash(4);
    let mut for_key = fault("/refresh", 1);
    for_key.api_key_hash = Some(key.to_vec());
    for_key.api_key_name = Some("four".into());
    let (key_id, depth) = store.insert_fault(&for_key).await.unwrap();
    assert_eq!(depth, 1);
    let mut for_user = fault("/refresh", 1);
    for_user.user_uid = Some("u1".into());
    for_user.breaks_token = true;
    let (user_id, depth) = store.insert_fault(&for_user).await.unwrap();
    assert_eq!(depth, 2);
    assert!(user_id > key_id);
    assert_eq!(
        store.insert_fault(&fault("/user", 1)).await.unwrap().1,
        1,
        "per route"
    );

    let other_key = hash(5);
    assert!(
        store
            .claim_fault(claim("/refresh", Some(&other_key), None))
            .await
            .unwrap()
            .is_none()
    );
    let no_token = ClaimQuery {
        carries_token: false,
        ..claim("/refresh", None, Some("u1"))
    };
    assert!(
        store.claim_fault(no_token).await.unwrap().is_none(),
        "breaks a token"
    );
    let got = store
        .claim_fault(claim("/refresh", Some(&key), Some("u1")))
        .await
        .unwrap();
    let got = got.expect("the oldest match");
    assert_eq!(
        (got.id, got.remaining, got.api_key_name.as_deref()),
        (key_id, 0, Some("four"))
    );
    let got = store
        .claim_fault(claim("/refresh", None, Some("u1")))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (got.id, got.breaks_token, got.action.as_str()),
        (user_id, true, r#"{"status":503}"#)
    );
    let pending = store.pending_faults().await.unwrap();
    assert_eq!(
        pending.iter().map(|f| f.route.as_str()).collect::<Vec<_>>(),
        ["/user"]
    );
}

pub async fn a_fault_is_used_exactly_times_across_replicas(db: Database) {
    let replicas = [db.open().await, db.open().await, db.open().await];
    let (id, _) = replicas[0]
        .insert_fault(&fault("/refresh", 5))
        .await
        .unwrap();

    let mut claims = tokio::task::JoinSet::new();
    for i in 0..30 {
        let store = replicas[i % 3].clone();
        claims.spawn(async move {
            store
                .claim_fault(claim("/refresh", None, None))
                .await
                .unwrap()
        });
    }
    let claimed: Vec<_> = claims.join_all().await.into_iter().flatten().collect();

    assert_eq!(claimed.len(), 5, "exactly `times` claims: {claimed:?}");
    assert!(claimed.iter().all(|f| f.id == id));
    let mut remaining: Vec<i64> = claimed.iter().map(|f| f.remaining).collect();
    remaining.sort();
    assert_eq!(remaining, [0, 1, 2, 3, 4], "each use handed out once");
    assert!(
        replicas[2].pending_faults().await.unwrap().is_empty(),
        "used up"
    );
}

pub async fn deleting_and_clearing_faults(db: Database) {
    let store = db.open().await;
    let (first, _) = store.insert_fault(&fault("/connect", 2)).await.unwrap();
    store.insert_fault(&fault("/login", 1)).await.unwrap();
    store.insert_fault(&fault("/user", 1)).await.unwrap();

    assert!(store.delete_fault(first).await.unwrap());
    assert!(!store.delete_fault(first).await.unwrap(), "already gone");
    assert_eq!(store.clear_faults().await.unwrap(), 2);
    assert_eq!(store.clear_faults().await.unwrap(), 0);
    let (next, _) = store.insert_fault(&fault("/connect", 1)).await.unwrap();
    assert!(next > first + 2, "ids are not handed out twice: {next}");
}
