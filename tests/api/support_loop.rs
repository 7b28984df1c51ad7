//! Helpers for the client-loop tests (issue 3: Entry API, clock, minting, keycloak, control
//! access): servers from TOML built in code and one function per endpoint. JWT helpers are in
//! [`crate::support_jwt`], re-exported here.

use reqwest::{Client, RequestBuilder, Response};
use serde_json::{Value, json};
use uitid_emulator::config::settings_from_toml;
use uitid_emulator::service::MintRequest;
use uitid_emulator::testing::TestServer;

pub use crate::support_jwt::*;

pub const KEY: &str = "loop-key";
pub const KEY_WITHOUT_REFRESH: &str = "loop-key-without-refresh";
pub const KEY_WITHOUT_ENTRY_API: &str = "loop-key-without-entry-api";
pub const UID: &str = "86a02c65-696d-4c16-a9b1-9e3bc8e6303c";
pub const NO_EMAIL_UID: &str = "5e0d7a4c-2f4b-4a55-9d1f-3c8b7e0f1a22";
pub const EXPIRED: &str = "Token expired (or not yet usable).";
pub const FORGED: &str =
    "Token signature verification failed. The token is likely forged or manipulated.";

const KEYS_AND_USERS: &str = r#"
[[api_keys]]
key = "loop-key"
name = "Loop client"
permissions = ["refresh", "entry_api"]
destinations = ["https://client.example/callback"]

[[api_keys]]
key = "loop-key-without-refresh"
name = "Loop client without refresh"
permissions = ["entry_api"]

[[api_keys]]
key = "loop-key-without-entry-api"
name = "Loop client without entry_api"
permissions = ["refresh"]

[[users]]
uid = "86a02c65-696d-4c16-a9b1-9e3bc8e6303c"
nick = "stiksels"
email = "stiksels@example.com"
password = "stiksels"

[[users]]
uid = "5e0d7a4c-2f4b-4a55-9d1f-3c8b7e0f1a22"
nick = "noemail"
password = "noemail"
"#;

/// A server with the keys and users above; `sections` is TOML such as `[token]` settings.
pub async fn server(sections: &str) -> TestServer {
    let settings = settings_from_toml(&format!("{sections}\n{KEYS_AND_USERS}"))
        .expect("the test configuration is valid");
    TestServer::builder()
        .settings(settings)
        .headless("stiksels")
        .start()
        .await
}

/// A v1 access token for `user` (nick or uid), minted in-process.
pub async fn jwt(server: &TestServer, user: &str) -> String {
    let request = MintRequest {
        user: user.into(),
        ..Default::default()
    };
    server.mint(request).await.expect("minted").jwt
}

pub fn http() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

pub async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("the server answers")
}

/// How `/user` gets its API key.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Absent,
    Header(&'a str),
    Query(&'a str),
}

/// `GET /user` with a raw `Authorization` header value (or none).
pub async fn user(server: &TestServer, authorization: Option<&str>, key: Key<'_>) -> Response {
    let mut request = match key {
        Key::Query(key) => http().get(server.url("/user")).query(&[("apiKey", key)]),
        _ => http().get(server.url("/user")),
    };
    if let Key::Header(key) = key {
        request = request.header("x-api-key", key);
    }
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    send(request).await
}

/// `GET /user` with `Bearer <jwt>` and [`KEY`] in `X-Api-Key`.
pub async fn user_with(server: &TestServer, jwt: &str) -> Response {
    user(server, Some(&format!("Bearer {jwt}")), Key::Header(KEY)).await
}

/// `POST /_emulator/<path>` with a JSON body.
pub async fn post(server: &TestServer, path: &str, body: &Value) -> Response {
    send(
        http()
            .post(server.url(&format!("/_emulator/{path}")))
            .json(body),
    )
    .await
}

/// `POST /_emulator/tokens`, expecting success.
pub async fn mint(server: &TestServer, body: Value) -> Value {
    let response = post(server, "tokens", &body).await;
    assert_eq!(response.status(), 200, "minting {body}");
    response.json().await.expect("minted tokens as JSON")
}

/// `POST /_emulator/clock`, expecting success; the clock's new state.
pub async fn set_clock(server: &TestServer, body: Value) -> Value {
    let response = post(server, "clock", &body).await;
    assert_eq!(response.status(), 200, "moving the clock with {body}");
    response.json().await.expect("the clock as JSON")
}

/// `GET /refresh` with [`KEY`].
pub async fn refresh(server: &TestServer, refresh: &str) -> Response {
    let query = [("apiKey", KEY), ("refresh", refresh)];
    send(http().get(server.url("/refresh")).query(&query)).await
}

/// A headless login through `/connect`: the `jwt` and `refresh` of the callback URL.
pub async fn connect(server: &TestServer) -> (String, String) {
    let query = [
        ("apiKey", KEY),
        ("destination", "http://localhost/callback"),
    ];
    let response = send(http().get(server.url("/connect")).query(&query)).await;
    assert_eq!(
        response.status(),
        302,
        "a headless /connect redirects at once"
    );
    let location = response.headers()["location"].to_str().expect("ASCII");
    let callback = url::Url::parse(location).expect("an absolute callback URL");
    let param = |name: &str| {
        let found = callback.query_pairs().find(|(n, _)| n == name);
        found.map(|(_, v)| v.into_owned()).expect(name)
    };
    (param("jwt"), param("refresh"))
}

/// Entry API problem details (PROTOCOL.md 6): status, media type, all four members, and no
/// `WWW-Authenticate`.
pub async fn assert_problem(response: Response, status: u16, detail: &str, case: &str) {
    assert_eq!(response.status(), status, "{case}");
    let content_type = response.headers().get("content-type");
    assert_eq!(
        content_type.and_then(|v| v.to_str().ok()),
        Some("application/problem+json"),
        "{case}"
    );
    assert!(
        response.headers().get("www-authenticate").is_none(),
        "{case}: no WWW-Authenticate"
    );
    let (kind, title) = match status {
        401 => ("unauthorized", "Unauthorized"),
        _ => ("forbidden", "Forbidden"),
    };
    let expected = json!({
        "type": format!("https://api.publiq.be/probs/auth/{kind}"),
        "title": title,
        "status": status,
        "detail": detail,
    });
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body, expected, "{case}");
}

/// A control-plane refusal: `status` and JSON with an `error` text and maybe a `field`.
pub async fn assert_control_error(
    response: Response,
    status: u16,
    field: Option<&str>,
    case: &str,
) {
    assert_eq!(response.status(), status, "{case}");
    let body: Value = response.json().await.expect("a JSON error body");
    let error = body["error"].as_str().unwrap_or("");
    assert!(!error.is_empty(), "{case}: an error text in {body}");
    assert_eq!(
        body.get("field").and_then(Value::as_str),
        field,
        "{case}: {body}"
    );
}
