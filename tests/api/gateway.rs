//! `docs/protocol.md#entry-api-gateway`: paths the emulator does not serve are authenticated
//! like `/user` and passed on to the upstream (a real stand-in, `support/upstream_stub.rs`) with
//! the verified identity; refused requests never reach it; public reads pass without a token.

use crate::entry_api_v2::NOT_FOR_ENTRY;
use crate::support::*;

/// A headless server whose gateway passes on to `upstream` (1 s to its headers).
pub async fn gateway(upstream: &str) -> TestApp {
    let sections = format!("[entry_api]\nupstream = \"{upstream}\"\nupstream_timeout = \"1s\"");
    server(&sections).await
}

#[tokio::test]
async fn an_accepted_client_token_reaches_the_upstream_as_sent_with_the_client_vouched_for() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let token = signed(&app, &client_claims(&app, "entry"));
    let request = app
        .api
        .post(app.url("/events?sort=asc&apiKey=ignored"))
        .bearer_auth(&token)
        .header("x-uitid-user", "someone-else")
        .header("X-Uitid-Client", "another-client")
        .header("content-type", "application/json")
        .body(r#"{"name":"Concert"}"#);

    let response = send(request).await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "x-stub"),
        Some("echo"),
        "the upstream's answer"
    );
    let seen = stub.seen();
    assert_eq!(seen.len(), 1, "exactly one request went through");
    let seen = &seen[0];
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/events")
    );
    assert_eq!(seen.query.as_deref(), Some("sort=asc&apiKey=ignored"));
    assert_eq!(seen.body_bytes, r#"{"name":"Concert"}"#.len());
    assert_eq!(seen.header("x-uitid-client"), Some(FORGED_CLIENT_ID));
    assert_eq!(
        seen.header("x-uitid-user"),
        None,
        "the spoofed user is dropped"
    );
    let bearer = format!("Bearer {token}");
    assert_eq!(seen.header("authorization"), Some(bearer.as_str()));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    let identities = seen
        .headers
        .iter()
        .filter(|(n, _)| n.starts_with("x-uitid-"));
    assert_eq!(
        identities.count(),
        1,
        "only the verified identity: {:?}",
        seen.headers
    );
}

#[tokio::test]
async fn each_kind_of_token_passes_on_the_identity_it_proves() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let user = signed(&app, &user_claims(&app, USER_UID, "entry"));
    let id_token = signed(&app, &id_claims(&app, USER_UID, "uitid-emulator"));
    let v1 = jwt(&app, USER_NICK).await;
    #[rustfmt::skip]
    let cases = [
        (user, None, Some(USER_UID), Some(FORGED_CLIENT_ID), "a user access token"),
        (v1, Some(KEY_WITH_REFRESH), Some(USER_UID), None, "a v1 token with its key"),
        (id_token, Some(KEY_WITHOUT_REFRESH), Some(USER_UID), None, "an id_token with its key"),
    ];
    for (i, (token, key, user, client, case)) in cases.into_iter().enumerate() {
        let mut request = app.api.put(app.url("/places/p-1")).bearer_auth(&token);
        if let Some(key) = key {
            request = request.header("x-api-key", key);
        }
        request = request.header("x-uitid-user", "spoofed");

        assert_eq!(send(request).await.status(), 200, "{case}");

        let seen = &stub.seen()[i];
        assert_eq!(seen.header("x-uitid-user"), user, "{case}");
        assert_eq!(seen.header("x-uitid-client"), client, "{case}");
        assert_eq!(
            seen.header("x-api-key"),
            key,
            "{case}: the key is passed on"
        );
    }
}

#[tokio::test]
async fn a_refused_request_gets_the_exact_problem_and_never_reaches_the_upstream() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let v1 = jwt(&app, USER_NICK).await;
    let no_entry = signed(&app, &client_claims(&app, "sapi"));
    let foreign_id = signed(&app, &id_claims(&app, USER_UID, FORGED_CLIENT_ID));
    let bearer = |token: &str| Some(format!("Bearer {token}"));
    #[rustfmt::skip]
    let cases = [
        (None, None, 401, "Authorization header missing.", "no token"),
        (bearer(&no_entry), None, 403, NOT_FOR_ENTRY, "a client without entry"),
        (bearer(&v1), None, 401, "The given token requires an API key, but no x-api-key header or apiKey URL parameter found.", "a v1 token without a key"),
        (bearer(&v1), Some("nope"), 401, r#"Could not authenticate with API key "nope"."#, "a bad key"),
        (bearer(&v1), Some(KEY_WITHOUT_ENTRY_API), 403, "Given API key is not authorized to use Entry API.", "a key without entry_api"),
        (bearer(&foreign_id), Some(KEY_WITH_REFRESH), 401, "The given token is an id token. Please use an access token instead.", "another client's id_token"),
        (bearer("garbage"), None, 401, r#"Token "garbage" is not a valid JWT."#, "not a JWT"),
    ];
    for (authorization, key, status, detail, case) in cases {
        let mut request = app.api.post(app.url("/events")).body("{}");
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        if let Some(key) = key {
            request = request.query(&[("apiKey", key)]);
        }

        assert_problem(send(request).await, status, detail, case).await;
    }
    assert!(
        stub.seen().is_empty(),
        "nothing reached the upstream: {:?}",
        stub.seen()
    );
}
