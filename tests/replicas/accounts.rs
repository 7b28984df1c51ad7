//! The clock, users, API keys and OAuth2 clients changed through one replica take effect on the
//! others within a second (`docs/protocol.md#shared-state`), checked by what they do, not only by
//! listings.

use serde_json::{Value, json};

use crate::backend::Backend;
use crate::replicas::*;
use crate::support::*;

on_both_backends!(
    clock_moved_on_a_within_a_second: sqlite_clock_moved_on_a_within_a_second,
    postgres_clock_moved_on_a_within_a_second
);

async fn clock_moved_on_a_within_a_second(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let minted = replicas.mint(A, &json!({"user": USER_NICK})).await;
    let jwt = minted["jwt"].as_str().unwrap().to_owned();
    for replica in [B, C] {
        let fresh = replicas.user(replica, &jwt, KEY_WITH_REFRESH).await;
        assert_eq!(
            fresh.status(),
            200,
            "a 12 h token is valid on {replica} at first"
        );
    }

    let moved = replicas
        .control(A, "clock", &json!({"advance": "13h"}))
        .await;
    assert_eq!(moved.status(), 200, "A moves the clock");
    let (replicas, jwt) = (&replicas, &jwt);
    let took = within_a_second("B and C see the token expire", move || async move {
        for replica in [B, C] {
            let checked = replicas.user(replica, jwt, KEY_WITH_REFRESH).await;
            if checked.status() != 401 {
                return false;
            }
            let body: Value = checked.json().await.expect("problem details");
            assert_eq!(body["detail"], EXPIRED, "replica {replica}");
        }
        true
    })
    .await;
    eprintln!("a clock change on A took effect on B and C in {took:?}");
    for replica in [B, C] {
        let clock = get_json(&replicas.api, &replicas.url(replica, "/_emulator/clock")).await;
        assert_eq!(
            clock["offset"],
            13 * 3600,
            "replica {replica}'s clock: {clock}"
        );
    }
}

on_both_backends!(
    accounts_made_on_b_and_c_within_a_second: sqlite_accounts_made_on_b_and_c_within_a_second,
    postgres_accounts_made_on_b_and_c_within_a_second
);

async fn accounts_made_on_b_and_c_within_a_second(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let uid = "3c1e7f0a-5b2d-4c8e-9f6a-1b2c3d4e5f60";
    let user = json!({"uid": uid, "nick": "newcomer", "password": "newcomer-secret"});
    assert_eq!(
        replicas.control(B, "users", &user).await.status(),
        201,
        "B makes a user"
    );
    let permissions = ["refresh", "entry_api"];
    let key =
        json!({"key": "replica-made-key", "name": "Made at runtime", "permissions": permissions});
    assert_eq!(
        replicas.control(C, "api-keys", &key).await.status(),
        201,
        "C makes a key"
    );

    // Minting needs the user and the key: every replica knows both.
    let replicas = &replicas;
    let took = within_a_second("A, B and C know the new user and key", move || async move {
        for replica in [A, B, C] {
            let body = json!({"user": "newcomer", "api_key": "replica-made-key"});
            if replicas.control(replica, "tokens", &body).await.status() != 200 {
                return false;
            }
        }
        true
    })
    .await;
    eprintln!("a user made on B and a key made on C reached all three in {took:?}");

    // And they work: the new user logs in on A with the new key, B refreshes, C checks.
    let browser = replicas.browser(A);
    let form = browser
        .open_form(&connect_query("replica-made-key", "http://localhost/cb"))
        .await;
    let login = browser
        .submit_login(&form, "newcomer", "newcomer-secret")
        .await;
    assert_eq!(login.status(), 303, "the new user logs in on A");
    let tokens = Tokens::from_redirect(&login);
    let refreshed = replicas
        .refresh(B, "replica-made-key", tokens.refresh())
        .await;
    assert_eq!(refreshed.status(), 200, "B refreshes with the new key");
    let jwt = text(refreshed).await;
    assert_eq!(Jwt::parse(&jwt).claims()["nick"], "newcomer");
    let checked = replicas.user(C, &jwt, "replica-made-key").await;
    assert_eq!(checked.status(), 200, "C's Entry API check accepts it");
}

on_both_backends!(
    a_client_made_on_c_gets_tokens_on_a_and_b_within_a_second:
        sqlite_a_client_made_on_c_gets_tokens_on_a_and_b_within_a_second,
    postgres_a_client_made_on_c_gets_tokens_on_a_and_b_within_a_second
);

async fn a_client_made_on_c_gets_tokens_on_a_and_b_within_a_second(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let client = json!({"client_id": "replica-client", "secret": "replicaSecret1",
                        "name": "Made at runtime", "grants": ["client_credentials"]});
    assert_eq!(replicas.control(C, "clients", &client).await.status(), 201);

    let replicas = &replicas;
    let took = within_a_second("A and B give the new client tokens", move || async move {
        for replica in [A, B] {
            let form = [
                ("grant_type", "client_credentials"),
                ("client_id", "replica-client"),
                ("client_secret", "replicaSecret1"),
            ];
            let url = replicas.url(replica, "/realms/uitid/protocol/openid-connect/token");
            let response = reqwest::Client::new().post(url).form(&form).send().await;
            if response.map(|r| r.status().as_u16()).unwrap_or(0) != 200 {
                return false;
            }
        }
        true
    })
    .await;
    eprintln!("a client made on C reached A and B in {took:?}");
}
