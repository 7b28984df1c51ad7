//! `docs/protocol.md#entry-api-check`: the kinds of token the Entry API check tells apart (v1,
//! id_token, client and user access tokens), the id_token's audience rule, and the checks every
//! kind shares (signature, time, issuer, required claim), for the new kinds too.

use serde_json::json;

use crate::entry_api_v2::{NO_USER, assert_user, stiksels, user_at};
use crate::support::*;

const ID_TOKEN: &str = "The given token is an id token. Please use an access token instead.";
const NO_KEY: &str =
    "The given token requires an API key, but no x-api-key header or apiKey URL parameter found.";
const KEY_FORBIDDEN: &str = "Given API key is not authorized to use Entry API.";
/// `token.client_id` of the test configuration (the default).
const PROVIDER_CLIENT: &str = "uitid-emulator";

#[tokio::test]
async fn an_id_token_needs_the_providers_audience_and_then_an_api_key_as_before() {
    let server = server("").await;
    let token = |aud: serde_json::Value| {
        let claims = changed(id_claims(&server, USER_UID, "x"), json!({"aud": aud}));
        signed(&server, &claims)
    };
    let (ours, foreign) = (json!(PROVIDER_CLIENT), json!(FORGED_CLIENT_ID));
    let both = json!([FORGED_CLIENT_ID, PROVIDER_CLIENT]);
    let stranger = id_claims(
        &server,
        "0b3c0e3e-6a3c-4d84-9f2b-0c4e1f6c2a11",
        PROVIDER_CLIENT,
    );
    #[rustfmt::skip]
    let refused = [
        (token(foreign.clone()), Key::Absent, 401, ID_TOKEN, "another client's id_token, no key"),
        (token(foreign), Key::Header(KEY_WITH_REFRESH), 401, ID_TOKEN, "another client's id_token, a good key"),
        (token(json!(null)), Key::Header(KEY_WITH_REFRESH), 401, ID_TOKEN, "no aud at all"),
        (token(ours.clone()), Key::Absent, 401, NO_KEY, "the provider's id_token still needs a key"),
        (token(ours.clone()), Key::Header("nope"), 401, r#"Could not authenticate with API key "nope"."#, "an unknown key"),
        (token(ours.clone()), Key::Query(KEY_WITHOUT_ENTRY_API), 403, KEY_FORBIDDEN, "a key without entry_api"),
        (signed(&server, &stranger), Key::Header(KEY_WITH_REFRESH), 401, NO_USER, "a user who does not exist"),
    ];
    for (token, key, status, detail, case) in refused {
        let response = user_at(&server, &token, key).await;

        assert_problem(response, status, detail, case).await;
    }
    for (aud, case) in [(ours, "aud a string"), (both, "aud a list naming it")] {
        let response = user_at(&server, &token(aud), Key::Header(KEY_WITH_REFRESH)).await;

        assert_user(response, &stiksels(), case).await;
    }
}

#[tokio::test]
async fn a_v1_token_is_answered_from_its_claims_alone_as_before_now_as_json_ld() {
    let server = server("").await;
    let stranger = "0b3c0e3e-6a3c-4d84-9f2b-0c4e1f6c2a11";
    let now = server.now();
    let payload = json!({"iss": "http://culudb-jwt-provider.dev", "uid": stranger, "nick": "ghost",
        "email": "", "iat": now, "exp": now + 3600, "nbf": now});
    let unconfigured = sign_rs256(&signing_key(&server), V1_HEADER, &payload.to_string());
    let ghost = json!({"uuid": stranger, "email": "", "username": "ghost", "id": stranger,
        "nick": "ghost"});
    let cases = [
        (
            jwt(&server, USER_NICK).await,
            stiksels(),
            "a configured user",
        ),
        (unconfigured, ghost, "a user the emulator does not know"),
    ];
    for (token, expected, case) in cases {
        let response = user_at(&server, &token, Key::Header(KEY_WITH_REFRESH)).await;

        assert_user(response, &expected, case).await;
    }
    let no_key = user_at(&server, &jwt(&server, USER_NICK).await, Key::Absent).await;
    assert_problem(no_key, 401, NO_KEY, "a v1 token still needs a key").await;
}

#[tokio::test]
async fn the_shared_checks_refuse_every_new_kind_in_upstreams_order() {
    let server = server("").await;
    let kinds = [
        (client_claims(&server, "entry"), "a client token"),
        (user_claims(&server, USER_UID, "entry"), "a user token"),
        (id_claims(&server, USER_UID, PROVIDER_CLIENT), "an id_token"),
    ];
    let now = server.now();
    for (claims, kind) in kinds {
        let forged = sign_rs256(&unknown_key(), r#"{"alg":"RS256"}"#, &claims.to_string());
        let expired = changed(claims.clone(), json!({"exp": now - 31 - 60}));
        let early = changed(claims.clone(), json!({"nbf": now + 120}));
        let elsewhere = changed(
            claims.clone(),
            json!({"iss": "https://account-test.uitid.be/realms/uitid"}),
        );
        let no_sub = changed(claims.clone(), json!({"sub": null}));
        let empty_sub = changed(claims.clone(), json!({"sub": ""}));
        let no_exp = changed(claims.clone(), json!({"exp": null}));
        #[rustfmt::skip]
        let cases = [
            (forged, FORGED, "signed by a stranger"),
            (signed(&server, &expired), EXPIRED, "expired beyond the leeway"),
            (signed(&server, &early), EXPIRED, "not yet usable"),
            (signed(&server, &elsewhere), "Token is not issued by a valid issuer.", "another issuer"),
            (signed(&server, &no_sub), "Token is missing one of its required claims.", "no sub"),
            (signed(&server, &empty_sub), "Token is missing one of its required claims.", "an empty sub"),
            (signed(&server, &no_exp), "Token is missing one of its required claims.", "no exp"),
        ];
        for (token, detail, case) in cases {
            let response = user_at(&server, &token, Key::Header(KEY_WITH_REFRESH)).await;

            assert_problem(response, 401, detail, &format!("{kind}: {case}")).await;
        }
    }
}

#[tokio::test]
async fn a_configured_realm_issuer_is_accepted_besides_the_providers() {
    let issuer = "https://account-test.uitid.be/realms/uitid";
    let server = server(&format!("[oauth]\nissuer = \"{issuer}\"")).await;
    let user = changed(
        user_claims(&server, USER_UID, "entry"),
        json!({"iss": issuer}),
    );

    let realm = user_at(&server, &signed(&server, &user), Key::Absent).await;
    let v1 = user_at(
        &server,
        &jwt(&server, USER_NICK).await,
        Key::Header(KEY_WITH_REFRESH),
    )
    .await;

    assert_user(realm, &stiksels(), "the configured realm issuer").await;
    assert_user(v1, &stiksels(), "the v1 issuer still").await;
}
