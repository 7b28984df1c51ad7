//! Shared state: the version every runtime change moves, the clock, the reset.

use uitid_emulator::store::{ClockRow, StoredKey, TokenFilter};

use crate::{Database, api_key, fault, token, user};

pub async fn every_runtime_change_moves_the_version(db: Database) {
    let (a, b) = (db.open().await, db.open().await);
    let mut last = b.state_version().await.unwrap();
    let mut moved = |now: i64, what: &str| {
        assert!(
            now > last,
            "{what} did not move the version ({last} -> {now})"
        );
        last = now;
    };
    a.seed_accounts(&[user("c", "conf", true)], &[api_key(1, "k", true)])
        .await
        .unwrap();
    moved(b.state_version().await.unwrap(), "seeding");
    a.create_user(&user("u", "u", false)).await.unwrap();
    moved(b.state_version().await.unwrap(), "a new user");
    a.create_api_key(&api_key(2, "k2", false)).await.unwrap();
    moved(b.state_version().await.unwrap(), "a new key");
    a.delete_user("u", 10).await.unwrap();
    moved(b.state_version().await.unwrap(), "a deleted user");
    a.set_clock(ClockRow {
        offset_seconds: 60,
        frozen_at: None,
    })
    .await
    .unwrap();
    moved(b.state_version().await.unwrap(), "the clock");
    let key = StoredKey {
        kid: "k".into(),
        private_pem: "pem".into(),
    };
    a.install_key_if_none(&key, 1).await.unwrap();
    a.rotate_key(
        &StoredKey {
            kid: "k2".into(),
            ..key
        },
        2,
        3,
    )
    .await
    .unwrap();
    moved(b.state_version().await.unwrap(), "a rotation");
    a.insert_fault(&fault("/refresh", 1)).await.unwrap();
    moved(b.state_version().await.unwrap(), "a fault");
    a.reset().await.unwrap();
    moved(b.state_version().await.unwrap(), "a reset");

    // What requests write (tokens, their uses) does not make every process reload.
    let id = a
        .insert_refresh_token(&token(1, "c", 1, None))
        .await
        .unwrap();
    a.touch_refresh_token(id, 5).await.unwrap();
    assert_eq!(b.state_version().await.unwrap(), last);
}

pub async fn the_clock_is_shared(db: Database) {
    let (a, b) = (db.open().await, db.open().await);
    assert_eq!(
        b.snapshot().await.unwrap().clock,
        ClockRow {
            offset_seconds: 0,
            frozen_at: None
        }
    );
    let frozen = ClockRow {
        offset_seconds: -3_600,
        frozen_at: Some(1_234_567),
    };
    a.set_clock(frozen).await.unwrap();
    assert_eq!(b.snapshot().await.unwrap().clock, frozen);
}

pub async fn reset_keeps_configuration_and_keys(db: Database) {
    let store = db.open().await;
    store
        .seed_accounts(&[user("c", "conf", true)], &[api_key(1, "k", true)])
        .await
        .unwrap();
    store
        .create_user(&user("r", "runtime", false))
        .await
        .unwrap();
    store
        .create_api_key(&api_key(2, "k2", false))
        .await
        .unwrap();
    store
        .insert_refresh_token(&token(1, "c", 1, None))
        .await
        .unwrap();
    store.insert_fault(&fault("/user", 3)).await.unwrap();
    store
        .set_clock(ClockRow {
            offset_seconds: 99,
            frozen_at: Some(5),
        })
        .await
        .unwrap();
    let key = StoredKey {
        kid: "kept".into(),
        private_pem: "pem".into(),
    };
    store.install_key_if_none(&key, 1).await.unwrap();

    store.reset().await.unwrap();

    let snapshot = store.snapshot().await.unwrap();
    assert_eq!(
        snapshot
            .users
            .iter()
            .map(|u| u.uid.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );
    assert_eq!(
        snapshot
            .keys
            .iter()
            .map(|k| k.name.as_str())
            .collect::<Vec<_>>(),
        ["k"]
    );
    assert_eq!(
        snapshot.clock,
        ClockRow {
            offset_seconds: 0,
            frozen_at: None
        }
    );
    assert!(snapshot.faults.is_empty());
    assert_eq!(snapshot.signing_keys.len(), 1, "signing keys stay");
    assert!(
        store
            .list_refresh_tokens(&TokenFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
}
