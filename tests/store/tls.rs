//! The self-signed TLS material (`docs/tls.md`): one CA per database, however many replicas
//! start at once; a new server certificate replaces the old one under the same CA, once; reset
//! keeps both.

use uitid_emulator::store::{StoredLeaf, StoredTls};

use crate::Database;

fn leaf(name: &str, hostnames: &str) -> StoredLeaf {
    StoredLeaf {
        cert_pem: format!("-----certificate {name}-----"),
        key_pem: format!("-----key {name}-----"),
        hostnames: hostnames.to_owned(),
        not_after: 9_000,
    }
}

fn material(ca: &str) -> StoredTls {
    StoredTls {
        ca_cert_pem: format!("-----CA certificate {ca}-----"),
        ca_key_pem: format!("-----CA key {ca}-----"),
        leaf: leaf(&format!("of {ca}"), "a.test,localhost"),
    }
}

pub async fn replicas_installing_at_once_agree_on_one_ca(db: Database) {
    let mut replicas = Vec::new();
    for _ in 0..4 {
        replicas.push(db.open().await);
    }
    assert!(
        replicas[0].tls_material().await.unwrap().is_none(),
        "an empty database"
    );

    let mut installs = tokio::task::JoinSet::new();
    for (i, store) in replicas.iter().enumerate() {
        let (store, candidate) = (store.clone(), material(&format!("ca-{i}")));
        installs.spawn(async move { store.install_tls_if_none(&candidate, 1_000).await.unwrap() });
    }
    let winners = installs.join_all().await;

    let ca = &winners[0].ca_cert_pem;
    assert!(
        winners.iter().all(|w| &w.ca_cert_pem == ca),
        "all agree: {winners:?}"
    );
    let stored = replicas[3].tls_material().await.unwrap().unwrap();
    let name = ca
        .trim_start_matches("-----CA certificate ")
        .trim_end_matches("-----");
    assert_eq!(
        stored.ca_key_pem,
        format!("-----CA key {name}-----"),
        "the winner's key"
    );
    assert_eq!(stored.leaf, leaf(&format!("of {name}"), "a.test,localhost"));
}

pub async fn a_new_server_certificate_keeps_the_ca_and_replaces_only_the_one_seen(db: Database) {
    let (store, other_replica) = (db.open().await, db.open().await);
    let installed = store
        .install_tls_if_none(&material("one"), 1_000)
        .await
        .unwrap();
    let seen = installed.leaf.cert_pem.clone();

    let replaced = store
        .replace_tls_leaf(&seen, &leaf("two", "b.test"), 2_000)
        .await
        .unwrap();
    let stale = other_replica
        .replace_tls_leaf(&seen, &leaf("three", "b.test"), 2_001)
        .await
        .unwrap();

    assert_eq!(replaced.leaf, leaf("two", "b.test"));
    assert_eq!(
        (&replaced.ca_cert_pem, &replaced.ca_key_pem),
        (&installed.ca_cert_pem, &installed.ca_key_pem),
        "the same CA"
    );
    assert_eq!(
        stale.leaf,
        leaf("two", "b.test"),
        "a replica that saw the old one finds the new"
    );
    let stored = store.tls_material().await.unwrap().unwrap();
    assert_eq!(stored.leaf, leaf("two", "b.test"));
    let again = store
        .install_tls_if_none(&material("four"), 3_000)
        .await
        .unwrap();
    assert_eq!(
        again.ca_cert_pem, installed.ca_cert_pem,
        "installing again changes nothing"
    );
}

pub async fn reset_keeps_the_tls_material(db: Database) {
    let store = db.open().await;
    let installed = store
        .install_tls_if_none(&material("kept"), 1_000)
        .await
        .unwrap();

    store.reset().await.unwrap();

    let stored = store.tls_material().await.unwrap().expect("still there");
    assert_eq!(stored.ca_cert_pem, installed.ca_cert_pem);
    assert_eq!(stored.leaf, installed.leaf);
}
