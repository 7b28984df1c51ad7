//! A fault queued on one replica hits exactly `times` requests however they are spread over the
//! three (`docs/protocol.md#faults`: each use is claimed in one write transaction).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::backend::Backend;
use crate::replicas::*;
use crate::support::*;

on_both_backends!(
    fault_on_a_hits_once_across_three: sqlite_fault_on_a_hits_once_across_three,
    postgres_fault_on_a_hits_once_across_three
);

async fn fault_on_a_hits_once_across_three(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let body = json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH});
    let refresh = replicas.mint(A, &body).await["refresh"]
        .as_str()
        .unwrap()
        .to_owned();
    let fault = json!({"route": "/refresh", "status": 503, "body": "fault", "times": 1});
    let queued = replicas.control(A, "faults", &fault).await;
    assert_eq!(queued.status(), 201, "A queues the fault");

    // A change made after the fault: once B and C show it, they hold the fault too, so all three
    // compete for its one use rather than A alone.
    let marker =
        json!({"uid": "0b7c9a1e-3d2f-4e5a-8b6c-9d0e1f2a3b4c", "nick": "marker", "password": "m"});
    assert_eq!(replicas.control(A, "users", &marker).await.status(), 201);
    let replicas = &replicas;
    within_a_second(
        "B and C see a change made after the fault",
        move || async move {
            let b = replicas.get(B, "/_emulator/users/marker").await.status();
            let c = replicas.get(C, "/_emulator/users/marker").await.status();
            b == 200 && c == 200
        },
    )
    .await;

    let tokens = [refresh];
    let (statuses, _) = replicas.refresh_burst(&tokens, 60).await;
    assert_eq!(
        statuses,
        BTreeMap::from([(200, 59), (503, 1)]),
        "60 refreshes at once, 20 per replica"
    );
    let (statuses, _) = replicas.refresh_burst(&tokens, 30).await;
    assert_eq!(statuses, BTreeMap::from([(200, 30)]), "used up");

    // Each process journals its own requests: one of the three names the fault, once.
    let mut applied = vec![];
    for replica in [A, B, C] {
        let journal = get_json(
            &replicas.api,
            &replicas.url(replica, "/_emulator/journal?route=/refresh"),
        )
        .await;
        let entries = journal["entries"].as_array().expect("journal entries");
        assert_eq!(
            entries.len(),
            30,
            "replica {replica} answered 20 + 10 refreshes"
        );
        let faulted = entries.iter().filter_map(|e| e["fault"].as_str());
        applied.extend(faulted.map(|f| format!("replica {replica}: {f}")));
    }
    assert_eq!(
        applied.len(),
        1,
        "the fault is applied once in all: {applied:?}"
    );
    let pending = get_json(&replicas.api, &replicas.url(C, "/_emulator/faults")).await;
    assert_eq!(pending["faults"], Value::Array(vec![]), "none left pending");
}
