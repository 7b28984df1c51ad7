//! OAuth2 clients: seeded from the configuration, changed at runtime, listed in order.

use uitid_emulator::store::{Change, Store};

use crate::{Database, client};

async fn ids(store: &Store) -> Vec<String> {
    let snapshot = store.snapshot().await.unwrap();
    snapshot.clients.into_iter().map(|c| c.client_id).collect()
}

pub async fn seeding_makes_configured_clients_exactly_the_configuration(db: Database) {
    let store = db.open().await;
    store
        .seed_clients(&[client("a", 1, true), client("b", 2, true)])
        .await
        .unwrap();
    assert_eq!(
        store.create_client(&client("r", 3, false)).await.unwrap(),
        Change::Done
    );
    // A runtime client holding an id the configuration now claims gives way to it.
    assert_eq!(
        store.create_client(&client("c", 4, false)).await.unwrap(),
        Change::Done
    );

    store
        .seed_clients(&[client("c", 5, true), client("a", 0, true)])
        .await
        .unwrap();

    assert_eq!(
        ids(&store).await,
        ["c", "a", "r"],
        "configured first, in order"
    );
    let snapshot = db.open().await.snapshot().await.unwrap();
    let c = &snapshot.clients[0];
    assert_eq!(
        (c.configured, c.secret_hash.as_deref()),
        (true, Some(&[5u8; 32][..]))
    );
    assert_eq!(
        snapshot.clients[1].secret_hash, None,
        "a public client has no secret"
    );
}

pub async fn runtime_clients_are_created_replaced_and_deleted(db: Database) {
    let (a, b) = (db.open().await, db.open().await);
    assert_eq!(
        a.create_client(&client("x", 1, false)).await.unwrap(),
        Change::Done
    );
    assert_eq!(
        b.create_client(&client("x", 2, false)).await.unwrap(),
        Change::Conflict
    );
    assert_eq!(
        b.create_client(&client("X", 2, false)).await.unwrap(),
        Change::Done,
        "ids are case-sensitive"
    );

    let mut renamed = client("x", 9, false);
    renamed.name = "Renamed".into();
    renamed.apis = r#"["sapi"]"#.into();
    assert_eq!(
        b.replace_client(&renamed, true).await.unwrap(),
        Change::Done
    );
    let stored = a.snapshot().await.unwrap().clients.remove(0);
    assert_eq!(
        (stored.name.as_str(), stored.apis.as_str()),
        ("Renamed", r#"["sapi"]"#)
    );
    assert_eq!(
        stored.secret_hash.as_deref(),
        Some(&[1u8; 32][..]),
        "secret kept"
    );
    assert_eq!(
        b.replace_client(&renamed, false).await.unwrap(),
        Change::Done
    );
    let stored = a.snapshot().await.unwrap().clients.remove(0);
    assert_eq!(
        stored.secret_hash.as_deref(),
        Some(&[9u8; 32][..]),
        "secret replaced"
    );
    assert_eq!(
        a.replace_client(&client("nobody", 1, false), false)
            .await
            .unwrap(),
        Change::NotFound
    );

    assert_eq!(a.delete_client("x").await.unwrap(), Change::Done);
    assert_eq!(b.delete_client("x").await.unwrap(), Change::NotFound);
    assert_eq!(ids(&b).await, ["X"]);
}

pub async fn reset_keeps_only_configured_clients(db: Database) {
    let store = db.open().await;
    store
        .seed_clients(&[client("conf", 1, true)])
        .await
        .unwrap();
    store.create_client(&client("run", 2, false)).await.unwrap();
    let before = store.state_version().await.unwrap();

    store.reset().await.unwrap();

    assert_eq!(ids(&store).await, ["conf"]);
    assert!(
        store.state_version().await.unwrap() > before,
        "other processes reload"
    );
}
