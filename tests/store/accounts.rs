//! Users and API keys: seeded from the configuration, changed at runtime.

use uitid_emulator::store::{Change, TokenFilter};

use crate::{Database, api_key, hash, token, user};

async fn uids(store: &uitid_emulator::store::Store) -> Vec<String> {
    let snapshot = store.snapshot().await.unwrap();
    snapshot.users.into_iter().map(|u| u.uid).collect()
}

pub async fn seeding_makes_configured_accounts_exactly_the_configuration(db: Database) {
    let store = db.open().await;
    let old = [user("a", "alice", true), user("b", "bob", true)];
    store
        .seed_accounts(&old, &[api_key(1, "one", true)])
        .await
        .unwrap();
    assert_eq!(
        store
            .create_user(&user("r", "runtime", false))
            .await
            .unwrap(),
        Change::Done
    );
    // A runtime user holding a nick the configuration now claims gives way to it.
    assert_eq!(
        store.create_user(&user("x", "CAROL", false)).await.unwrap(),
        Change::Done
    );

    let new = [user("c", "carol", true), user("a", "alice2", true)];
    store
        .seed_accounts(&new, &[api_key(2, "two", true)])
        .await
        .unwrap();

    assert_eq!(
        uids(&store).await,
        ["c", "a", "r"],
        "configured first, in order"
    );
    let snapshot = store.snapshot().await.unwrap();
    let nicks: Vec<_> = snapshot
        .users
        .iter()
        .map(|u| (u.nick.as_str(), u.configured))
        .collect();
    assert_eq!(
        nicks,
        [("carol", true), ("alice2", true), ("runtime", false)]
    );
    assert_eq!(snapshot.users[0].claims, r#"{"given_name":"Test"}"#);
    let keys: Vec<_> = snapshot.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(keys, ["two"]);
}

pub async fn nicks_clash_ignoring_ascii_case_only(db: Database) {
    let store = db.open().await;
    store
        .create_user(&user("u1", "Stiksels", false))
        .await
        .unwrap();
    assert_eq!(
        store
            .create_user(&user("u2", "sTIKSELS", false))
            .await
            .unwrap(),
        Change::Conflict
    );
    assert_eq!(
        store
            .create_user(&user("u1", "other", false))
            .await
            .unwrap(),
        Change::Conflict
    );
    // Only ASCII letters fold: "Ä" and "ä" are two nicks, on both backends.
    store
        .create_user(&user("u3", "Ärger", false))
        .await
        .unwrap();
    assert_eq!(
        store
            .create_user(&user("u4", "ärger", false))
            .await
            .unwrap(),
        Change::Done
    );

    let renamed = user("u3", "STIKSELS", false);
    assert_eq!(
        store.replace_user("u3", &renamed).await.unwrap(),
        Change::Conflict
    );
    let same_nick_new_case = user("u1", "STIKSELS", false);
    assert_eq!(
        store.replace_user("u1", &same_nick_new_case).await.unwrap(),
        Change::Done
    );
    assert_eq!(
        store
            .replace_user("nobody", &user("nobody", "n", false))
            .await
            .unwrap(),
        Change::NotFound
    );
}

pub async fn runtime_accounts_list_in_creation_order(db: Database) {
    let (a, b) = (db.open().await, db.open().await);
    for (i, uid) in ["z", "m", "a"].iter().enumerate() {
        let store = if i % 2 == 0 { &a } else { &b };
        store.create_user(&user(uid, uid, false)).await.unwrap();
    }
    assert_eq!(uids(&a).await, ["z", "m", "a"]);

    assert_eq!(
        b.create_api_key(&api_key(5, "five", false)).await.unwrap(),
        Change::Done
    );
    assert_eq!(
        a.create_api_key(&api_key(5, "again", false)).await.unwrap(),
        Change::Conflict
    );
    let mut renamed = api_key(5, "renamed", false);
    renamed.permissions = "[]".into();
    assert_eq!(a.replace_api_key(&renamed).await.unwrap(), Change::Done);
    assert_eq!(
        a.replace_api_key(&api_key(6, "none", false)).await.unwrap(),
        Change::NotFound
    );
    let keys = b.snapshot().await.unwrap().keys;
    assert_eq!(
        (keys[0].name.as_str(), keys[0].permissions.as_str()),
        ("renamed", "[]")
    );
    assert_eq!(keys[0].key_hint, "05...");
}

pub async fn deleting_an_owner_revokes_its_tokens(db: Database) {
    let store = db.open().await;
    store.create_user(&user("u1", "one", false)).await.unwrap();
    store
        .create_api_key(&api_key(9, "nine", false))
        .await
        .unwrap();
    store
        .insert_refresh_token(&token(1, "u1", 8, None))
        .await
        .unwrap();
    store
        .insert_refresh_token(&token(2, "u2", 9, None))
        .await
        .unwrap();
    store
        .insert_refresh_token(&token(3, "u2", 8, None))
        .await
        .unwrap();

    assert_eq!(store.delete_user("u1", 50).await.unwrap(), Change::Done);
    assert_eq!(store.delete_user("u1", 60).await.unwrap(), Change::NotFound);
    assert_eq!(
        store.delete_api_key(&hash(9), 70).await.unwrap(),
        Change::Done
    );

    let revoked_at = |byte| {
        let store = store.clone();
        async move {
            store
                .find_refresh_token(&hash(byte))
                .await
                .unwrap()
                .unwrap()
                .revoked_at
        }
    };
    assert_eq!(revoked_at(1).await, Some(50));
    assert_eq!(revoked_at(2).await, Some(70));
    assert_eq!(
        revoked_at(3).await,
        None,
        "neither its user nor its key was deleted"
    );
    let live = TokenFilter::default();
    assert_eq!(
        store.list_refresh_tokens(&live).await.unwrap().len(),
        3,
        "kept, revoked"
    );
}
