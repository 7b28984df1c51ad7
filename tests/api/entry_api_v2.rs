//! `docs/protocol.md#entry-api-check`: the Entry API check's v2 rules at `/user` for the OAuth2
//! realm's access tokens: no API key, but `entry` in `https://publiq.be/publiq-apis`; a client's
//! own token has no user to show; a user's token needs its user; success is JSON-LD. Tokens are
//! hand-made in the realm's shapes and signed with the server's key (`support/realm_tokens.rs`).

use serde_json::{Value, json};

use crate::support::*;

pub const NOT_FOR_ENTRY: &str =
    "The given token and its related client are not allowed to access EntryAPI.";
const CLIENT_AT_USER: &str = "Client access tokens are not supported on this endpoint because a user is required to return user info.";
pub const NO_USER: &str = "No user found for the given token.";

/// `Bearer <token>`.
pub fn bearer(token: &str) -> Option<String> {
    Some(format!("Bearer {token}"))
}

/// The 200 `/user` body of the test configuration's first user.
pub fn stiksels() -> Value {
    json!({"uuid": USER_UID, "email": USER_EMAIL, "username": USER_NICK, "id": USER_UID,
        "nick": USER_NICK})
}

/// A 200 JSON-LD answer with exactly `expected`.
pub async fn assert_user(response: reqwest::Response, expected: &Value, case: &str) {
    assert_eq!(response.status(), 200, "{case}");
    assert_eq!(
        header(&response, "content-type"),
        Some("application/ld+json"),
        "{case}"
    );
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(&body, expected, "{case}");
}

#[tokio::test]
async fn access_tokens_need_no_api_key_but_must_list_entry() {
    let server = server("").await;
    let user = |apis: &str| signed(&server, &user_claims(&server, USER_UID, apis));
    let client = |apis: &str| signed(&server, &client_claims(&server, apis));
    let (entry, sapi) = ("entry sapi", "sapi");
    #[rustfmt::skip]
    let refused = [
        (client(sapi), Key::Absent, 403, NOT_FOR_ENTRY, "a client token without entry"),
        (client(""), Key::Header(KEY_WITH_REFRESH), 403, NOT_FOR_ENTRY, "a key does not make up for entry"),
        (client("entryapi sapi"), Key::Absent, 403, NOT_FOR_ENTRY, "a name that only starts with entry"),
        (client(entry), Key::Absent, 401, CLIENT_AT_USER, "a client token with entry: no user at /user"),
        (user(sapi), Key::Absent, 403, NOT_FOR_ENTRY, "a user token without entry"),
        (user("sapi"), Key::Query(KEY_WITH_REFRESH), 403, NOT_FOR_ENTRY, "a user token without entry, with a key"),
    ];
    for (token, key, status, detail, case) in refused {
        let response = user_at(&server, &token, key).await;

        assert_problem(response, status, detail, case).await;
    }
    #[rustfmt::skip]
    let accepted = [
        (user(entry), Key::Absent, "a user token with entry, no key"),
        (user("entry"), Key::Header("not-a-configured-key"), "an unknown key is ignored"),
        (user(entry), Key::Header(KEY_WITHOUT_ENTRY_API), "a key without entry_api is ignored"),
    ];
    for (token, key, case) in accepted {
        let response = user_at(&server, &token, key).await;

        assert_user(response, &stiksels(), case).await;
    }
}

#[tokio::test]
async fn the_token_rules_run_before_the_routes_own_and_a_client_token_without_entry_is_403() {
    let server = server("").await;
    let expired = changed(
        client_claims(&server, "sapi"),
        json!({"exp": server.now() - 3600}),
    );
    let elsewhere = changed(
        client_claims(&server, "sapi"),
        json!({"iss": "https://account.uitid.be/realms/uitid"}),
    );
    #[rustfmt::skip]
    let cases = [
        (signed(&server, &client_claims(&server, "sapi")), 403, NOT_FOR_ENTRY, "entry is checked before the route's user rule"),
        (signed(&server, &expired), 401, EXPIRED, "the time before entry"),
        (signed(&server, &elsewhere), 401, "Token is not issued by a valid issuer.", "the issuer before entry"),
    ];
    for (token, status, detail, case) in cases {
        let response = user_at(&server, &token, Key::Absent).await;

        assert_problem(response, status, detail, case).await;
    }
}

#[tokio::test]
async fn a_user_token_answers_from_the_account_it_names_and_an_unknown_one_is_refused() {
    let server = server("").await;
    let no_email = json!({"uuid": NO_EMAIL_UID, "email": "", "username": "noemail",
        "id": NO_EMAIL_UID, "nick": "noemail"});
    let by_sub_only = changed(
        user_claims(&server, NO_EMAIL_UID, "entry"),
        json!({"https://publiq.be/uitidv1id": null}),
    );
    let upper_case = user_claims(&server, &USER_UID.to_uppercase(), "entry");
    #[rustfmt::skip]
    let cases = [
        (user_claims(&server, USER_UID, "entry"), stiksels(), "by https://publiq.be/uitidv1id"),
        (by_sub_only, no_email, "by sub when uitidv1id is missing"),
        (upper_case, stiksels(), "a uid in another case"),
    ];
    for (claims, expected, case) in cases {
        let response = user_at(&server, &signed(&server, &claims), Key::Absent).await;

        assert_user(response, &expected, case).await;
    }
    let stranger = user_claims(&server, "0b3c0e3e-6a3c-4d84-9f2b-0c4e1f6c2a11", "entry");
    let deleted = user_claims(&server, NO_EMAIL_UID, "entry");
    let removed = server
        .api
        .delete(server.url(&format!("/_emulator/users/{NO_EMAIL_UID}")));
    assert_eq!(send(removed).await.status(), 204, "the user is deleted");
    for (claims, case) in [(stranger, "never configured"), (deleted, "deleted")] {
        let response = user_at(&server, &signed(&server, &claims), Key::Absent).await;

        assert_problem(response, 401, NO_USER, case).await;
    }
}

/// `GET /user` with `Bearer <token>` and `key`.
pub async fn user_at(server: &TestApp, token: &str, key: Key<'_>) -> reqwest::Response {
    user(server, bearer(token).as_deref(), key).await
}
