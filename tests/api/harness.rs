//! The public test harness (`uitid_emulator::testing::TestServer`) keeps the promises its
//! documentation makes to users beyond what the other tests exercise through [`TestApp`].

use uitid_emulator::testing::TestServer;

use crate::support::*;

#[tokio::test]
async fn an_invalid_toml_configuration_is_an_error_from_try_start_naming_the_key() {
    let started = TestServer::builder()
        .toml("[token]\naccess_ttl = \"0s\"")
        .headless(USER_NICK)
        .try_start()
        .await;

    let error = format!("{:#}", started.err().expect("the server does not start"));
    assert!(error.contains("token.access_ttl"), "{error}");
}

#[tokio::test]
async fn a_stopped_server_keeps_its_temporary_database_until_the_handle_is_dropped() {
    let server = TestServer::start().await;
    let database = server.database_path();

    let stopped = server.stop().await;
    let kept = database.is_file();
    drop(stopped);

    assert!(kept, "{} exists after the stop", database.display());
    assert!(!database.exists(), "and is removed with the handle");
}

#[tokio::test]
async fn a_database_in_a_given_directory_outlives_the_server() {
    let dir = tempfile::tempdir().expect("a directory");
    let server = TestServer::builder().database_dir(dir.path()).start().await;
    let database = server.database_path();

    drop(server.stop().await);

    assert_eq!(database.parent(), Some(dir.path()));
    assert!(database.is_file(), "{} is still there", database.display());
}

#[tokio::test]
async fn client_token_gives_the_sample_clients_token_and_refuses_an_unknown_client() {
    let server = TestServer::start().await;

    let token = server
        .client_token("5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11")
        .await
        .expect("the sample client");
    let unknown = server.client_token("nobody").await;

    let claims = Jwt::parse(&token).claims();
    assert_eq!(claims["gty"], "client-credentials");
    assert_eq!(claims["https://publiq.be/publiq-apis"], "entry sapi");
    assert!(unknown.is_err());
}
