//! Signing keys: one active per database, however many replicas start at once.

use uitid_emulator::store::StoredKey;

use crate::Database;

fn key(kid: &str) -> StoredKey {
    StoredKey {
        kid: kid.to_owned(),
        private_pem: format!("-----PEM of {kid}-----"),
    }
}

pub async fn replicas_installing_at_once_agree_on_one_key(db: Database) {
    let mut replicas = Vec::new();
    for _ in 0..4 {
        replicas.push(db.open().await);
    }
    assert!(
        replicas[0].active_key().await.unwrap().is_none(),
        "an empty database"
    );

    let mut installs = tokio::task::JoinSet::new();
    for (i, store) in replicas.iter().enumerate() {
        let (store, candidate) = (store.clone(), key(&format!("kid-{i}")));
        installs.spawn(async move { store.install_key_if_none(&candidate, 1_000).await.unwrap() });
    }
    let winners = installs.join_all().await;

    let kid = &winners[0].kid;
    assert!(
        winners.iter().all(|w| &w.kid == kid),
        "all agree: {winners:?}"
    );
    let metas = replicas[3].key_metas().await.unwrap();
    assert_eq!(metas.len(), 1, "exactly one key stored: {metas:?}");
    assert!(metas[0].active);
    let active = replicas[1].active_key().await.unwrap().unwrap();
    assert_eq!(
        (&active.kid, active.private_pem),
        (kid, format!("-----PEM of {kid}-----"))
    );
}

pub async fn rotation_retires_the_old_key(db: Database) {
    let store = db.open().await;
    store
        .install_key_if_none(&key("first"), 1_000)
        .await
        .unwrap();
    store
        .rotate_key(&key("second"), 2_000, 2_600)
        .await
        .unwrap();
    store.rotate_key(&key("third"), 3_000, 3_600).await.unwrap();

    let metas = store.key_metas().await.unwrap();
    let summary: Vec<_> = metas
        .iter()
        .map(|m| (m.kid.as_str(), m.active, m.retired_at))
        .collect();
    assert_eq!(
        summary,
        [
            ("third", true, None),
            ("second", false, Some(3_600)),
            ("first", false, Some(2_600))
        ]
    );
    assert_eq!(store.active_key().await.unwrap().unwrap().kid, "third");
    let mut pems = store.key_pems().await.unwrap();
    pems.sort();
    assert_eq!(pems.len(), 3);
    assert_eq!(
        pems[0],
        ("first".to_owned(), "-----PEM of first-----".to_owned())
    );
    let installed = store
        .install_key_if_none(&key("fourth"), 4_000)
        .await
        .unwrap();
    assert_eq!(
        installed.kid, "third",
        "a key is only installed into an empty database"
    );
}
