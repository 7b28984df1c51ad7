//! `docs/protocol.md#entry-api-check`: `GET /user`, the Entry API's token check: exact problem+json
//! bodies in the documented order, the API key from either place, and RS256-only signature checks.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use uitid_emulator::service::MintRequest;

use crate::support::*;

#[tokio::test]
async fn a_valid_token_with_the_key_in_either_place_gets_exactly_the_users_json() {
    let server = server("").await;
    let stiksels = format!(
        r#"{{"uuid":"{USER_UID}","email":"stiksels@example.com","username":"stiksels","id":"{USER_UID}","nick":"stiksels"}}"#
    );
    let noemail = format!(
        r#"{{"uuid":"{NO_EMAIL_UID}","email":"","username":"noemail","id":"{NO_EMAIL_UID}","nick":"noemail"}}"#
    );
    let (in_header, in_query) = (Key::Header(KEY_WITH_REFRESH), Key::Query(KEY_WITH_REFRESH));
    let cases = [
        ("stiksels", in_header, &stiksels, "key in X-Api-Key"),
        ("stiksels", in_query, &stiksels, "key in apiKey"),
        ("noemail", in_header, &noemail, "a user without email"),
    ];
    for (nick, key, expected, case) in cases {
        let bearer = format!("Bearer {}", jwt(&server, nick).await);

        let response = user(&server, Some(&bearer), key).await;

        assert_eq!(response.status(), 200, "{case}");
        assert_eq!(response.text().await.unwrap(), *expected, "{case}");
    }
}

#[tokio::test]
async fn each_refusal_is_upstreams_problem_json_and_the_first_failed_check_wins() {
    let server = server("").await;
    let valid = jwt(&server, "stiksels").await;
    let minted = |claims: serde_json::Value, expired: bool| {
        let request = MintRequest {
            user: Some("stiksels".into()),
            claims: claims.as_object().unwrap().clone(),
            expired,
            ..Default::default()
        };
        async { server.mint(request).await.unwrap().jwt }
    };
    let all_wrong = minted(json!({"iss": "https://evil", "uid": ""}), true).await;
    let payload = Jwt::parse(&all_wrong).payload;
    let forged_all_wrong = sign_rs256(&unknown_key(), V1_HEADER, &payload);
    let bad_issuer = minted(json!({"iss": "https://evil", "uid": ""}), false).await;
    let no_subject = minted(json!({"uid": ""}), false).await;
    let bearer = |token: &str| Some(format!("Bearer {token}"));
    #[rustfmt::skip]
    let cases = [
        (None, Key::Absent, 401, "Authorization header missing.".to_owned(), "no header, no key"),
        (Some(format!("Basic {valid}")), Key::Absent, 401, NOT_BEARER.into(), "not Bearer"),
        (Some(valid.clone()), Key::Header(KEY_WITH_REFRESH), 401, NOT_BEARER.into(), "a bare token"),
        (bearer("garbage"), Key::Absent, 401, r#"Token "garbage" is not a valid JWT."#.into(), "garbage, no key"),
        (bearer(&forged_all_wrong), Key::Absent, 401, FORGED.into(), "forged, expired, bad issuer, no uid"),
        (bearer(&all_wrong), Key::Absent, 401, EXPIRED.into(), "expired, bad issuer, no uid"),
        (bearer(&bad_issuer), Key::Absent, 401, BAD_ISSUER.into(), "bad issuer, no uid"),
        (bearer(&no_subject), Key::Absent, 401, MISSING_CLAIM.into(), "no uid, no key"),
        (bearer(&valid), Key::Absent, 401, NO_KEY.into(), "a valid token, no key"),
        (bearer(&valid), Key::Header("nope"), 401, r#"Could not authenticate with API key "nope"."#.into(), "unknown key in X-Api-Key"),
        (bearer(&valid), Key::Query("nope"), 401, r#"Could not authenticate with API key "nope"."#.into(), "unknown key in apiKey"),
        (bearer(&valid), Key::Header(KEY_WITHOUT_ENTRY_API), 403, FORBIDDEN.into(), "a key without entry_api"),
        (bearer(&valid), Key::Query(KEY_WITHOUT_ENTRY_API), 403, FORBIDDEN.into(), "the same key in apiKey"),
    ];
    for (authorization, key, status, detail, case) in cases {
        let response = user(&server, authorization.as_deref(), key).await;

        assert_problem(response, status, &detail, case).await;
    }
}

#[tokio::test]
async fn a_token_that_is_not_a_compact_jws_of_json_objects_is_not_a_valid_jwt() {
    let server = server("").await;
    let object = URL_SAFE_NO_PAD.encode("{}");
    let cases = [
        ("a.b.c".to_owned(), "three parts, none base64 JSON"),
        (format!("{object}.{object}"), "two parts"),
        (format!("{object}.{object}.sig.extra"), "four parts"),
        (
            format!("{object}.{}.c2ln", URL_SAFE_NO_PAD.encode("[1]")),
            "a payload that is not an object",
        ),
    ];
    for (token, case) in cases {
        let response = user_with(&server, &token).await;

        let detail = format!("Token \"{token}\" is not a valid JWT.");
        assert_problem(response, 401, &detail, case).await;
    }
}

#[tokio::test]
async fn only_rs256_with_a_published_key_verifies() {
    let server = server("").await;
    let Jwt {
        payload, signature, ..
    } = Jwt::parse(&jwt(&server, "stiksels").await);
    let public_pem = send(client().get(server.url("/public.pem")))
        .await
        .text()
        .await
        .unwrap();
    let flipped_payload = payload.replacen("stiksels", "Stiksels", 1);
    assert_ne!(flipped_payload, payload, "the payload has a byte to flip");
    let kid_header = r#"{"alg":"RS256","typ":"JWT","kid":"not-a-published-kid"}"#;
    let cases = [
        (alg_none(&payload), "alg: none without a signature"),
        (
            hs256(&payload, public_pem.as_bytes()),
            "HS256 with the public PEM as HMAC secret",
        ),
        (
            with_signature(V1_HEADER, &flipped_payload, &signature),
            "one payload byte flipped",
        ),
        (
            sign_rs256(&unknown_key(), V1_HEADER, &payload),
            "signed by a key the server does not publish",
        ),
        (
            sign_rs256(&signing_key(&server), kid_header, &payload),
            "the right key but an unknown kid",
        ),
    ];
    for (token, case) in cases {
        let response = user_with(&server, &token).await;

        assert_problem(response, 401, FORGED, case).await;
    }
    let resigned = sign_rs256(&signing_key(&server), V1_HEADER, &payload);
    let accepted = user_with(&server, &resigned).await;
    assert_eq!(
        accepted.status(),
        200,
        "the same payload signed properly verifies"
    );
}

#[tokio::test]
async fn expiry_and_not_before_have_30_seconds_of_leeway() {
    let server = server("").await;
    let short = MintRequest {
        user: Some("stiksels".into()),
        ttl: Some("1m".into()),
        ..Default::default()
    };
    let token = server.mint(short).await.unwrap().jwt;
    let exp = Jwt::parse(&token).claims()["exp"].as_i64().unwrap();
    let now = server.now();
    let not_before = |seconds: i64| {
        let claims = json!({"nbf": now + seconds}).as_object().unwrap().clone();
        server.mint(MintRequest {
            user: Some("stiksels".into()),
            claims,
            ..Default::default()
        })
    };
    // Time only moves forward between minting and checking, so each boundary case has at
    // least one second of slack in the direction the clock can drift.
    let early_ok = not_before(29).await.unwrap().jwt;
    let too_early = not_before(32).await.unwrap().jwt;
    assert_eq!(
        user_with(&server, &early_ok).await.status(),
        200,
        "nbf 29 s ahead"
    );
    assert_problem(
        user_with(&server, &too_early).await,
        401,
        EXPIRED,
        "nbf 32 s ahead",
    )
    .await;

    set_clock(&server, json!({"at": exp + 29})).await;
    assert_eq!(
        user_with(&server, &token).await.status(),
        200,
        "29 s after exp"
    );

    set_clock(&server, json!({"at": exp + 31})).await;
    assert_problem(
        user_with(&server, &token).await,
        401,
        EXPIRED,
        "31 s after exp",
    )
    .await;
}

#[tokio::test]
async fn a_token_without_exp_is_missing_a_required_claim() {
    let server = server("").await;
    let now = server.now();
    let payload = json!({"iss": "http://culudb-jwt-provider.dev", "uid": USER_UID, "nick": "stiksels",
        "email": "", "iat": now, "nbf": now});
    let token = sign_rs256(&signing_key(&server), V1_HEADER, &payload.to_string());

    let response = user_with(&server, &token).await;

    assert_problem(response, 401, MISSING_CLAIM, "no exp").await;
}

const NOT_BEARER: &str =
    r#"Authorization header must start with "Bearer ", followed by your token."#;
const BAD_ISSUER: &str = "Token is not issued by a valid issuer.";
const MISSING_CLAIM: &str = "Token is missing one of its required claims.";
const NO_KEY: &str =
    "The given token requires an API key, but no x-api-key header or apiKey URL parameter found.";
const FORBIDDEN: &str = "Given API key is not authorized to use Entry API.";

#[tokio::test]
async fn a_token_with_critical_extensions_is_refused_as_no_valid_jwt() {
    let server = server("").await;
    let Jwt { payload, .. } = Jwt::parse(&jwt(&server, "stiksels").await);
    // RFC 7515 section 4.1.11: extensions listed in `crit` must be understood; none are here.
    for header in [
        r#"{"typ":"JWT","alg":"RS256","crit":["exp"],"exp":1}"#,
        r#"{"typ":"JWT","alg":"RS256","crit":["http://example.invalid/ext"]}"#,
        r#"{"typ":"JWT","alg":"RS256","crit":[]}"#,
    ] {
        let token = sign_rs256(&signing_key(&server), header, &payload);
        let detail = format!("Token \"{token}\" is not a valid JWT.");
        assert_problem(user_with(&server, &token).await, 401, &detail, header).await;
    }
}
