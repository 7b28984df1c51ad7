//! A login on one replica is refreshed on another, and a refresh token revoked through a third
//! is refused at once by the first (`docs/protocol.md#refresh`, `docs/protocol.md#refresh-tokens`).

use serde_json::Value;

use crate::backend::Backend;
use crate::replicas::*;
use crate::support::*;

const INVALID_GRANT: &str = "invalid_grant: Unknown or invalid refresh token.";

on_both_backends!(
    login_on_a_refresh_on_b: sqlite_login_on_a_refresh_on_b,
    postgres_login_on_a_refresh_on_b
);

async fn login_on_a_refresh_on_b(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let tokens = log_in_on_a(&replicas).await;

    let refreshed = replicas
        .refresh(B, KEY_WITH_REFRESH, tokens.refresh())
        .await;
    assert_eq!(refreshed.status(), 200, "B refreshes the token A issued");
    let content_type = header(&refreshed, "content-type");
    assert_eq!(content_type, Some("text/plain; charset=utf-8"));
    let jwt = text(refreshed).await;
    let public = key_from_pem(&text(replicas.get(B, "/public.pem").await).await);
    let parsed = Jwt::parse(&jwt);
    assert!(
        parsed.verifies_with(&public),
        "signed with the published key"
    );
    assert_eq!(
        parsed.claims()["uid"],
        USER_UID,
        "for the user who logged in on A"
    );
    let checked = replicas.user(C, &jwt, KEY_WITH_REFRESH).await;
    assert_eq!(checked.status(), 200, "and C's Entry API check accepts it");
}

on_both_backends!(
    revoked_on_c_refused_on_a: sqlite_revoked_on_c_refused_on_a,
    postgres_revoked_on_c_refused_on_a
);

async fn revoked_on_c_refused_on_a(backend: Backend) {
    let replicas = Replicas::start(backend, Setup::default()).await;
    let tokens = log_in_on_a(&replicas).await;
    let before = replicas
        .refresh(A, KEY_WITH_REFRESH, tokens.refresh())
        .await;
    assert_eq!(
        before.status(),
        200,
        "the token works before the revocation"
    );

    let listed = replicas
        .get(C, &format!("/_emulator/refresh-tokens?user={USER_NICK}"))
        .await;
    let listed: Value = listed.json().await.expect("the listing as JSON");
    let listed = listed["refresh_tokens"].as_array().expect("a list").clone();
    assert_eq!(
        listed.len(),
        1,
        "C lists the one token issued on A: {listed:?}"
    );
    let id = listed[0]["id"].as_i64().expect("an id");
    let url = replicas.url(C, &format!("/_emulator/refresh-tokens/{id}"));
    let revoked = send(replicas.api.delete(url)).await;
    assert_eq!(revoked.status(), 200);
    let revoked: Value = revoked.json().await.unwrap();
    assert_eq!(revoked["revoked"], 1, "C revokes it");

    // Committed before C answered, and read on every refresh: no waiting.
    for replica in [A, B, C] {
        let after = replicas
            .refresh(replica, KEY_WITH_REFRESH, tokens.refresh())
            .await;
        assert_text_400(after, INVALID_GRANT, &format!("refresh on {replica}")).await;
    }
}

/// The interactive login on A: `/connect`, the form, and the 303 to the callback with tokens.
async fn log_in_on_a(replicas: &Replicas) -> Tokens {
    let query = connect_query(KEY_WITH_REFRESH, APP_CALLBACK);
    let login = replicas.browser(A).log_in(&query).await;
    assert_eq!(login.status(), 303, "the form login on A succeeds");
    Tokens::from_redirect(&login)
}
