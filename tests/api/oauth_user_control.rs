//! The control plane and user login on the realm (`docs/protocol.md#control-plane`): minting a
//! user's tokens and chain, listing and revoking chains, faults on the authorization endpoint
//! and on the token endpoint by client, and the journal's chain lineage.

use serde_json::{Value, json};

use crate::support::authorize::*;
use crate::support::jwt::{Jwt, member_names};
use crate::support::oauth::{TOKEN_PATH, assert_oauth_error};
use crate::support::*;

#[tokio::test]
async fn minting_for_a_user_and_a_client_gives_a_chain_that_rotates_at_the_token_endpoint() {
    let server = TestApp::spawn().await;
    let plain = post(
        &server,
        "tokens",
        &json!({"user": USER_NICK, "client": CLIENT_ID}),
    )
    .await;
    let plain = plain.text().await.unwrap();
    let with_openid = json!({"user": USER_NICK, "client": CLIENT_ID, "scope": "openid"});
    let with_openid = mint(&server, with_openid).await;

    assert_eq!(member_names(&plain), ["jwt", "refresh"]);
    let plain: Value = serde_json::from_str(&plain).unwrap();
    let access = Jwt::parse(&member(&plain, "jwt")).claims();
    assert_eq!(
        (&access["azp"], &access["sub"]),
        (&json!(CLIENT_ID), &json!(USER_UID))
    );
    assert_eq!(access["scope"], "profile email");
    let id_token = Jwt::parse(&member(&with_openid, "id_token")).claims();
    assert_eq!(
        (&id_token["aud"], &id_token["typ"]),
        (&json!(CLIENT_ID), &json!("ID"))
    );
    let minted = member(&plain, "refresh");
    let next = refreshed(&server, CONFIDENTIAL, &minted).await;
    assert_ne!(member(&next, "refresh_token"), minted);
    let reused = refresh_grant(&server, CONFIDENTIAL, &minted).await;
    let why = "Maximum allowed refresh token reuse exceeded";
    assert_oauth_error(
        reused,
        400,
        "invalid_grant",
        why,
        "the minted token, reused",
    )
    .await;
}

#[tokio::test]
async fn a_client_without_the_refresh_grant_gets_no_refresh_token_minted() {
    let server = TestApp::spawn().await;
    create_client(
        &server,
        &json!({"client_id": "code-only", "secret": "codeOnly1", "name": "Code only",
                "grants": ["authorization_code"], "redirect_uris": [APP_CALLBACK]}),
    )
    .await;

    let minted = post(
        &server,
        "tokens",
        &json!({"user": USER_NICK, "client": "code-only"}),
    )
    .await;

    assert_eq!(member_names(&minted.text().await.unwrap()), ["jwt"]);
}

#[tokio::test]
async fn chains_are_listed_with_client_rotations_and_reason_and_filtered_by_client() {
    let server = TestApp::spawn().await;
    server.refresh_token().await;
    let confidential = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    refreshed(
        &server,
        CONFIDENTIAL,
        &member(&confidential, "refresh_token"),
    )
    .await;
    log_in_for_tokens(&server, PUBLIC, "").await;

    let all = listed_tokens(&server, "").await;
    let only = listed_tokens(&server, &format!("?client={CLIENT_ID}")).await;
    let unknown = server.get("/_emulator/refresh-tokens?client=nobody").await;

    let shape: Vec<(Value, Value)> = all
        .iter()
        .map(|t| (t["client"].clone(), t["rotations"].clone()))
        .collect();
    assert_eq!(
        shape,
        [
            (json!(PUBLIC_CLIENT), json!(0)),
            (json!(CLIENT_ID), json!(1)),
            (Value::Null, json!(0))
        ],
        "newest first"
    );
    assert_eq!(all[2]["api_key"], "App with refresh");
    for row in &all {
        assert_eq!(row.get("revoked_reason"), Some(&Value::Null), "{row}");
    }
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["client"], CLIENT_ID);
    assert_control_error(unknown, 404, Some("client"), "an unknown client").await;
}

#[tokio::test]
async fn deleting_a_chain_or_a_clients_chains_ends_their_next_refresh() {
    let server = TestApp::spawn().await;
    let provider = server.refresh_token().await;
    let one = member(
        &log_in_for_tokens(&server, CONFIDENTIAL, "").await,
        "refresh_token",
    );
    let other = member(
        &log_in_for_tokens(&server, CONFIDENTIAL, "").await,
        "refresh_token",
    );
    let public = member(
        &log_in_for_tokens(&server, PUBLIC, "").await,
        "refresh_token",
    );
    let id = listed_tokens(&server, &format!("?client={CLIENT_ID}")).await[1]["id"].clone();

    let by_id = server
        .api
        .delete(server.url(&format!("/_emulator/refresh-tokens/{id}")));
    let by_id: Value = send(by_id).await.json().await.unwrap();
    let by_client = server.url(&format!("/_emulator/refresh-tokens?client={PUBLIC_CLIENT}"));
    let by_client: Value = send(server.api.delete(by_client))
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(
        (by_id, by_client),
        (json!({"revoked": 1}), json!({"revoked": 1}))
    );
    let dead = refresh_grant(&server, CONFIDENTIAL, &one).await;
    assert_oauth_error(dead, 400, "invalid_grant", "Session not active", "by id").await;
    let dead = refresh_grant(&server, PUBLIC, &public).await;
    assert_oauth_error(
        dead,
        400,
        "invalid_grant",
        "Session not active",
        "by client",
    )
    .await;
    assert_eq!(
        refresh_grant(&server, CONFIDENTIAL, &other).await.status(),
        200
    );
    assert_eq!(
        server
            .refresh_with(KEY_WITH_REFRESH, &provider)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_fault_on_the_authorization_endpoint_fires_exactly_times_for_its_client() {
    let server = TestApp::spawn().await;
    let fault = json!({"route": AUTHORIZE_PATH, "client": PUBLIC_CLIENT, "times": 2,
                       "status": 503, "body": "down"});
    assert_eq!(post(&server, "faults", &fault).await.status(), 201);
    let request = |client| authorize_query(client, &Pkce::new(), &[]);

    let other = server.browser().authorize(&request(CONFIDENTIAL)).await;
    let first = server.browser().authorize(&request(PUBLIC)).await;
    let second = server.browser().authorize(&request(PUBLIC)).await;
    let third = server.browser().authorize(&request(PUBLIC)).await;

    assert_eq!(other.status(), 302, "another client");
    assert_eq!(first.status(), 503);
    assert_eq!(text(first).await, "down");
    assert_eq!(second.status(), 503);
    assert_eq!(third.status(), 302, "used up");
}

/// An error sent back to the client names it too (`docs/protocol.md#faults`).
#[tokio::test]
async fn a_client_matched_fault_also_fires_on_an_error_sent_back_to_that_client() {
    let server = TestApp::spawn().await;
    let fault = json!({"route": AUTHORIZE_PATH, "client": PUBLIC_CLIENT, "status": 503});
    assert_eq!(post(&server, "faults", &fault).await.status(), 201);
    let bad_scope = authorize_query(PUBLIC, &Pkce::new(), &[("scope", "admin")]);

    let refused = server.browser().authorize(&bad_scope).await;
    let again = server.browser().authorize(&bad_scope).await;

    assert_eq!(
        refused.status(),
        503,
        "the fault, instead of the error redirect"
    );
    assert_eq!(again.status(), 302, "used up: the invalid_scope redirect");
    let journal = get_json(
        &server.api,
        &server.url("/_emulator/journal?client=public-test-client"),
    )
    .await;
    assert_eq!(
        journal["entries"].as_array().map(Vec::len),
        Some(2),
        "{journal}"
    );
}

#[tokio::test]
async fn a_fault_on_the_authorization_endpoint_may_match_the_user_logged_in() {
    let server = Setup::headless(USER_NICK).spawn().await;
    let fault = json!({"route": AUTHORIZE_PATH, "user": "noemail", "status": 500});
    assert_eq!(post(&server, "faults", &fault).await.status(), 201);
    let as_user = |hint| authorize_query(CONFIDENTIAL, &Pkce::new(), &[("login_hint", hint)]);

    let stiksels = server.browser().authorize(&as_user(USER_NICK)).await;
    let noemail = server.browser().authorize(&as_user("noemail")).await;

    assert_eq!(
        (stiksels.status().as_u16(), noemail.status().as_u16()),
        (302, 500)
    );
}

#[tokio::test]
async fn a_token_endpoint_fault_for_a_client_hits_only_its_code_exchanges() {
    let server = TestApp::spawn().await;
    let fault = json!({"route": TOKEN_PATH, "client": PUBLIC_CLIENT, "status": 503});
    assert_eq!(post(&server, "faults", &fault).await.status(), 201);
    let confidential = code_for(&server, CONFIDENTIAL, &[]).await;
    let first = code_for(&server, PUBLIC, &[]).await;
    let second = code_for(&server, PUBLIC, &[]).await;

    let other = exchange_code(
        &server,
        CONFIDENTIAL,
        &confidential.code,
        Some(&confidential.pkce.verifier),
    )
    .await;
    let hit = exchange_code(&server, PUBLIC, &first.code, Some(&first.pkce.verifier)).await;
    let after = exchange_code(&server, PUBLIC, &second.code, Some(&second.pkce.verifier)).await;

    let statuses = [other, hit, after].map(|r| r.status().as_u16());
    assert_eq!(statuses, [200, 503, 200]);
}

#[tokio::test]
async fn the_journal_names_the_chain_the_rotation_and_the_access_token() {
    let server = TestApp::spawn().await;
    let login = log_in_for_tokens(&server, CONFIDENTIAL, "").await;
    let next = refreshed(&server, CONFIDENTIAL, &member(&login, "refresh_token")).await;
    let chain = listed_tokens(&server, "").await[0]["id"].clone();

    let journal = get_json(
        &server.api,
        &server.url(&format!("/_emulator/journal?route={TOKEN_PATH}")),
    )
    .await;

    let entries = journal["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{journal}");
    for (entry, answer, rotation) in [(&entries[0], &next, 1), (&entries[1], &login, 0)] {
        let jti = Jwt::parse(&member(answer, "access_token")).claims()["jti"].clone();
        let lineage = format!("chain {chain} #{rotation} -> {}", jti.as_str().unwrap());
        assert_eq!(entry["lineage"], lineage, "{entry}");
        assert_eq!(
            (&entry["user"], &entry["client"]),
            (&json!(USER_UID), &json!(CLIENT_ID))
        );
        assert_eq!(
            (&entry["method"], &entry["status"]),
            (&json!("POST"), &json!(200))
        );
    }
    let authorize = format!("/_emulator/journal?route={AUTHORIZE_PATH}");
    let authorize = get_json(&server.api, &server.url(&authorize)).await;
    assert_eq!(authorize["entries"][0]["client"], CLIENT_ID, "{authorize}");
}

#[tokio::test]
async fn the_openapi_description_names_the_client_filter_of_the_chain_listing() {
    let server = TestApp::spawn().await;

    let api = get_json(&server.api, &server.url("/_emulator/openapi.json")).await;

    for method in ["get", "delete"] {
        let operation = &api["paths"]["/_emulator/refresh-tokens"][method];
        let parameters = operation["parameters"].as_array().expect("parameters");
        let names: Vec<&str> = parameters
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(names, ["user", "api_key", "client"], "{method}");
        assert!(parameters.iter().all(|p| p["in"] == "query"), "{method}");
    }
}
