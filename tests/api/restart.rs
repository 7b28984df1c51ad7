//! `docs/protocol.md#configuration`, `docs/protocol.md#keys`, `docs/reliability.md#secrets`,
//! `docs/reliability.md#crashes-and-restarts`: a generated key is made once per database and
//! survives restarts, like the refresh tokens; expiry survives them too.

use std::time::Duration;

use crate::support::*;

#[tokio::test]
async fn a_generated_key_and_the_issued_tokens_survive_a_restart() {
    let app = Setup::generated_key().spawn().await;
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    let pem_before = app.public_pem().await;

    let app = app.restart().await;

    let pem_after = app.public_pem().await;
    assert_eq!(pem_after, pem_before, "the same key after the restart");
    let jwt = Jwt::parse(&tokens.jwt);
    assert!(
        jwt.verifies_with(&key_from_pem(&pem_after)),
        "the old jwt verifies with /public.pem"
    );
    assert!(
        jwt.verifies_with(&key_from_jwk(&app.jwks().await["keys"][0])),
        "and with the JWKS"
    );
    let response = app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await;
    assert_eq!(response.status(), 200, "the refresh token still works");
    assert!(Jwt::parse(&text(response).await).verifies_with(&key_from_pem(&pem_after)));
}

#[tokio::test]
async fn two_fresh_installs_without_a_configured_key_have_different_keys() {
    let (first, second) = tokio::join!(
        Setup::generated_key().spawn(),
        Setup::generated_key().spawn()
    );

    let (first, second) = (first.public_pem().await, second.public_pem().await);

    assert!(first.starts_with("-----BEGIN PUBLIC KEY-----"), "{first}");
    assert_ne!(first, second);
}

#[tokio::test]
async fn a_configured_key_and_its_tokens_survive_a_restart() {
    let app = TestApp::spawn().await;
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;

    let app = app.restart().await;

    let public_key = key_from_pem(&app.public_pem().await);
    assert!(Jwt::parse(&tokens.jwt).verifies_with(&public_key));
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, tokens.refresh())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_expired_refresh_token_is_invalid_grant_and_stays_so_after_a_restart() {
    let setup = Setup {
        refresh_ttl: "2s".into(),
        ..Setup::default()
    };
    let app = setup.spawn().await;
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    let fresh = app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await;
    assert_eq!(fresh.status(), 200, "usable before refresh_ttl has passed");

    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let expired = app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await;
    let app = app.restart().await;
    let after_restart = app.refresh_with(KEY_WITH_REFRESH, tokens.refresh()).await;

    for (response, when) in [
        (expired, "after refresh_ttl"),
        (after_restart, "after a restart"),
    ] {
        assert_eq!(response.status(), 400, "{when}");
        assert!(text(response).await.contains("invalid_grant"), "{when}");
    }
}

/// The same with the built binary and a real SIGTERM, as `docker stop` restarts it.
#[tokio::test]
async fn after_sigterm_the_binary_restarts_and_honours_the_tokens_it_issued_before() {
    let setup = Setup {
        key: KeyChoice::Generated,
        ..Setup::headless(USER_NICK)
    };
    let (dir, config) = server_dir(&setup);
    let first = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    let connect = connect_query(KEY_WITH_REFRESH, APP_CALLBACK);
    let login = send(client().get(format!("{}/connect?{connect}", first.base))).await;
    let tokens = Tokens::from_redirect(&login);
    assert!(
        first.terminate().await.status.success(),
        "exit 0 on SIGTERM"
    );

    let second = ServerProcess::start(dir.path(), Some(&config), &[]).await;
    let pem = text(send(client().get(format!("{}/public.pem", second.base))).await).await;
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", tokens.refresh())]);
    let refreshed = send(client().get(format!("{}/refresh?{query}", second.base))).await;

    assert!(
        Jwt::parse(&tokens.jwt).verifies_with(&key_from_pem(&pem)),
        "the old JWT verifies"
    );
    assert_eq!(refreshed.status(), 200, "the refresh token still works");
    assert!(second.terminate().await.status.success());
}
