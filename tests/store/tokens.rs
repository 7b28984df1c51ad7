//! Refresh tokens: stored by hash, listed and revoked by the control plane.

use uitid_emulator::store::TokenFilter;

use crate::{Database, hash, token};

pub async fn stored_tokens_are_found_by_hash_only(db: Database) {
    let store = db.open().await;
    let id = store
        .insert_refresh_token(&token(1, "u1", 9, Some(5_000)))
        .await
        .unwrap();

    let found = store
        .find_refresh_token(&hash(1))
        .await
        .unwrap()
        .expect("found");
    assert_eq!((found.id, found.user_uid.as_str()), (id, "u1"));
    assert_eq!(found.api_key_hash, Some(hash(9).to_vec()));
    assert_eq!((found.created_at, found.expires_at), (1_000, Some(5_000)));
    assert_eq!((found.last_used_at, found.revoked_at), (None, None));
    assert!(store.find_refresh_token(&hash(2)).await.unwrap().is_none());

    store.touch_refresh_token(id, 2_000).await.unwrap();
    let touched = store.find_refresh_token(&hash(1)).await.unwrap().unwrap();
    assert_eq!(touched.last_used_at, Some(2_000));

    let duplicate = store.insert_refresh_token(&token(1, "u2", 9, None)).await;
    assert!(duplicate.is_err(), "a token hash is stored once");
}

pub async fn ids_are_never_handed_out_twice(db: Database) {
    let store = db.open().await;
    let first = store
        .insert_refresh_token(&token(1, "u1", 9, None))
        .await
        .unwrap();
    store.reset().await.unwrap();
    let second = store
        .insert_refresh_token(&token(2, "u1", 9, None))
        .await
        .unwrap();
    assert!(
        second > first,
        "a deleted token's id {first} came back as {second}"
    );
}

pub async fn revoking_one_token_says_whether_it_exists_and_was_live(db: Database) {
    let store = db.open().await;
    let id = store
        .insert_refresh_token(&token(1, "u1", 9, None))
        .await
        .unwrap();

    assert_eq!(
        store.revoke_refresh_token(id, 3_000).await.unwrap(),
        Some(1)
    );
    assert_eq!(
        store.revoke_refresh_token(id, 4_000).await.unwrap(),
        Some(0)
    );
    assert_eq!(
        store.revoke_refresh_token(id + 100, 4_000).await.unwrap(),
        None
    );
    let revoked = store.find_refresh_token(&hash(1)).await.unwrap().unwrap();
    assert_eq!(
        revoked.revoked_at,
        Some(3_000),
        "the first revocation's time stays"
    );
}

pub async fn revoking_by_filter_counts_only_live_matches(db: Database) {
    let store = db.open().await;
    let a = store
        .insert_refresh_token(&token(1, "u1", 9, None))
        .await
        .unwrap();
    let b = store
        .insert_refresh_token(&token(2, "u1", 8, None))
        .await
        .unwrap();
    let c = store
        .insert_refresh_token(&token(3, "u2", 9, None))
        .await
        .unwrap();
    store.revoke_refresh_token(a, 10).await.unwrap();

    let all = store
        .list_refresh_tokens(&TokenFilter::default())
        .await
        .unwrap();
    let ids: Vec<i64> = all.iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![c, b, a], "newest first");
    let by_user = TokenFilter {
        user_uid: Some("u1".into()),
        api_key_hash: None,
        client_id: None,
    };
    let listed = store.list_refresh_tokens(&by_user).await.unwrap();
    assert_eq!(listed.iter().map(|t| t.id).collect::<Vec<_>>(), vec![b, a]);
    let by_both = TokenFilter {
        user_uid: Some("u1".into()),
        api_key_hash: Some(hash(9)),
        client_id: None,
    };
    assert_eq!(store.list_refresh_tokens(&by_both).await.unwrap().len(), 1);

    assert_eq!(
        store.revoke_refresh_tokens(&by_user, 20).await.unwrap(),
        1,
        "a was revoked"
    );
    let by_key = TokenFilter {
        user_uid: None,
        api_key_hash: Some(hash(9)),
        client_id: None,
    };
    assert_eq!(
        store.revoke_refresh_tokens(&by_key, 30).await.unwrap(),
        1,
        "only c left"
    );
    let c_now = store.find_refresh_token(&hash(3)).await.unwrap().unwrap();
    assert_eq!(c_now.revoked_at, Some(30));
}
