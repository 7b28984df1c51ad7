//! Introspection (RFC 7662) and revocation (RFC 7009) for authenticated clients
//! (`docs/protocol.md#introspection`, `docs/protocol.md#revocation`): a client sees and revokes
//! only its own tokens; anything else is inactive, or changes nothing.

use reqwest::Response;
use serde_json::{Value, json};

use crate::support::authorize::*;
use crate::support::jwt::Jwt;
use crate::support::oauth::{assert_oauth_error, client_token, post_form};
use crate::support::*;

/// The confidential client without the code grant, as an introspecting stranger.
const STRANGER: AppClient = AppClient {
    id: CLIENT_WITHOUT_ENTRY,
    secret: Some(CLIENT_WITHOUT_ENTRY_SECRET),
    redirect_uri: APP_CALLBACK,
};

async fn introspect(server: &TestApp, client: AppClient, token: &str) -> Value {
    let mut pairs = vec![("token", token)];
    pairs.extend(client.credentials());
    let response = post_form(server, INTROSPECT_PATH, &pairs).await;
    assert_eq!(response.status(), 200, "introspecting as {}", client.id);
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    response.json().await.unwrap()
}

async fn revoke(server: &TestApp, client: AppClient, token: &str) -> Response {
    let mut pairs = vec![("token", token)];
    pairs.extend(client.credentials());
    post_form(server, REVOKE_PATH, &pairs).await
}

#[tokio::test]
async fn an_own_live_access_token_shows_its_claims_and_what_introspection_adds() {
    let server = TestApp::spawn().await;
    let tokens = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let access = member(&tokens, "access_token");

    let answer = introspect(&server, CONFIDENTIAL, &access).await;

    let mut expected = Jwt::parse(&access).claims();
    expected["client_id"] = json!(CLIENT_ID);
    expected["token_type"] = json!("Bearer");
    expected["active"] = json!(true);
    assert_eq!(answer, expected);
    let client = introspect(&server, CONFIDENTIAL, &client_token(&server).await).await;
    assert_eq!(
        (&client["active"], &client["gty"]),
        (&json!(true), &json!("client-credentials"))
    );
}

#[tokio::test]
async fn an_own_live_refresh_token_shows_its_chain() {
    let server = TestApp::spawn().await;
    let tokens = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let claims = Jwt::parse(&member(&tokens, "access_token")).claims();

    let answer = introspect(&server, CONFIDENTIAL, &member(&tokens, "refresh_token")).await;

    let expires_at = listed_tokens(&server, "").await[0]["expires_at"].clone();
    let expected = json!({"active": true, "token_type": "Refresh", "client_id": CLIENT_ID,
                          "sub": USER_UID, "sid": claims["sid"], "scope": "openid profile email",
                          "exp": expires_at});
    assert_eq!(answer, expected);
}

#[tokio::test]
async fn other_clients_unknown_retired_and_revoked_tokens_are_inactive() {
    let server = TestApp::spawn().await;
    let tokens = log_in_for_tokens(&server, CONFIDENTIAL, "openid").await;
    let access = member(&tokens, "access_token");
    let retired = member(&tokens, "refresh_token");
    let current = member(
        &refreshed(&server, CONFIDENTIAL, &retired).await,
        "refresh_token",
    );
    let inactive = json!({"active": false});

    for (client, token, case) in [
        (STRANGER, access.as_str(), "another client's access token"),
        (STRANGER, current.as_str(), "another client's refresh token"),
        (CONFIDENTIAL, retired.as_str(), "a retired refresh token"),
        (CONFIDENTIAL, "no-such-token", "an unknown token"),
        (CONFIDENTIAL, &member(&tokens, "id_token"), "an id_token"),
    ] {
        assert_eq!(introspect(&server, client, token).await, inactive, "{case}");
    }
    assert_eq!(revoke(&server, CONFIDENTIAL, &current).await.status(), 200);
    for token in [&access, &current] {
        assert_eq!(
            introspect(&server, CONFIDENTIAL, token).await,
            inactive,
            "revoked"
        );
    }
}

#[tokio::test]
async fn introspection_and_revocation_need_client_authentication_and_one_token() {
    let server = TestApp::spawn().await;
    let invalid = "Invalid client or Invalid client credentials";
    for path in [INTROSPECT_PATH, REVOKE_PATH] {
        let anonymous = post_form(&server, path, &[("token", "x")]).await;
        let wrong = [
            ("token", "x"),
            ("client_id", CLIENT_ID),
            ("client_secret", "wrong"),
        ];
        let wrong = post_form(&server, path, &wrong).await;
        let missing = post_form(&server, path, &CONFIDENTIAL.credentials()).await;
        let mut twice = vec![("token", "a"), ("token", "b")];
        twice.extend(CONFIDENTIAL.credentials());
        let twice = post_form(&server, path, &twice).await;

        assert_oauth_error(anonymous, 401, "invalid_client", invalid, path).await;
        assert_oauth_error(wrong, 401, "invalid_client", invalid, path).await;
        let why = "Missing parameter: token";
        assert_oauth_error(missing, 400, "invalid_request", why, path).await;
        let why = "duplicated parameter";
        assert_oauth_error(twice, 400, "invalid_request", why, path).await;
    }
}

#[tokio::test]
async fn revoking_an_own_refresh_token_current_or_retired_ends_its_chain() {
    let server = TestApp::spawn().await;
    let first = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let second = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let retired = member(&second, "refresh_token");
    let current = member(
        &refreshed(&server, CONFIDENTIAL, &retired).await,
        "refresh_token",
    );

    let by_current = revoke(&server, CONFIDENTIAL, &member(&first, "refresh_token")).await;
    let by_retired = revoke(&server, CONFIDENTIAL, &retired).await;

    assert_eq!(
        (by_current.status().as_u16(), by_retired.status().as_u16()),
        (200, 200)
    );
    assert_eq!(header(&by_current, "cache-control"), Some("no-store"));
    assert_eq!(text(by_current).await, "");
    let dead = refresh_grant(&server, CONFIDENTIAL, &member(&first, "refresh_token")).await;
    assert_oauth_error(dead, 400, "invalid_grant", "Session not active", "current").await;
    let dead = refresh_grant(&server, CONFIDENTIAL, &current).await;
    assert_oauth_error(dead, 400, "invalid_grant", "Session not active", "retired").await;
    for chain in listed_tokens(&server, "").await {
        assert_eq!(chain["revoked_reason"], "revoked_by_client", "{chain}");
    }
}

#[tokio::test]
async fn another_clients_token_is_refused_and_unknown_or_access_tokens_change_nothing() {
    let server = TestApp::spawn().await;
    let tokens = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let refresh = member(&tokens, "refresh_token");

    let foreign = revoke(&server, STRANGER, &refresh).await;
    let unknown = revoke(&server, CONFIDENTIAL, "no-such-token").await;
    let access = revoke(&server, CONFIDENTIAL, &member(&tokens, "access_token")).await;

    let why = "Unmatching clients";
    assert_oauth_error(foreign, 400, "unauthorized_client", why, "another client's").await;
    assert_eq!(unknown.status(), 200, "unknown");
    assert_eq!(access.status(), 200, "an access token");
    let still = refresh_grant(&server, CONFIDENTIAL, &refresh).await;
    assert_eq!(still.status(), 200, "the chain is untouched");
    let userinfo = send(
        server
            .api
            .get(server.url(USERINFO_PATH))
            .bearer_auth(member(&tokens, "access_token")),
    )
    .await;
    assert_eq!(userinfo.status(), 200, "and so is its access token");
}
