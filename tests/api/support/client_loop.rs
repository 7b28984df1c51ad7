//! What a client's loop talks to besides the login: the Entry API's token check
//! `GET /user` and the control plane `/_emulator/*`, on a headless [`TestApp`] so `/connect`
//! hands out tokens at once.

use reqwest::Response;
use serde_json::{Value, json};
use uitid_emulator::service::MintRequest;

use super::app::TestApp;
use super::browser::Tokens;
use super::http::{connect_query, send};
use super::setup::{KEY_WITH_REFRESH, Setup, USER_NICK};

pub const EXPIRED: &str = "Token expired (or not yet usable).";
pub const FORGED: &str =
    "Token signature verification failed. The token is likely forged or manipulated.";

/// A server that logs [`USER_NICK`] in headlessly, with `sections` (TOML tables such as
/// `[token]`) merged into the usual configuration.
pub async fn server(sections: &str) -> TestApp {
    Setup::headless(USER_NICK)
        .with_sections(sections)
        .spawn()
        .await
}

/// A v1 access token for `user` (nick or uid), minted in-process.
pub async fn jwt(server: &TestApp, user: &str) -> String {
    let request = MintRequest {
        user: Some(user.into()),
        ..Default::default()
    };
    server.mint(request).await.expect("minted").jwt
}

/// A headless login through `/connect`: the `jwt` and `refresh` of the callback URL.
pub async fn connect(server: &TestApp) -> (String, String) {
    let query = connect_query(KEY_WITH_REFRESH, "http://localhost/callback");
    let response = server.browser().connect(&query).await;
    assert_eq!(
        response.status(),
        302,
        "a headless /connect redirects at once"
    );
    let tokens = Tokens::from_redirect(&response);
    let refresh = tokens.refresh().to_owned();
    (tokens.jwt, refresh)
}

/// How `/user` gets its API key.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Absent,
    Header(&'a str),
    Query(&'a str),
}

/// `GET /user` with a raw `Authorization` header value (or none).
pub async fn user(server: &TestApp, authorization: Option<&str>, key: Key<'_>) -> Response {
    let mut request = server.api.get(server.url("/user"));
    match key {
        Key::Absent => {}
        Key::Header(key) => request = request.header("x-api-key", key),
        Key::Query(key) => request = request.query(&[("apiKey", key)]),
    }
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    send(request).await
}

/// `GET /user` with `Bearer <jwt>` and [`KEY_WITH_REFRESH`] in `X-Api-Key`.
pub async fn user_with(server: &TestApp, jwt: &str) -> Response {
    let bearer = format!("Bearer {jwt}");
    user(server, Some(&bearer), Key::Header(KEY_WITH_REFRESH)).await
}

/// `POST /_emulator/<path>` with a JSON body.
pub async fn post(server: &TestApp, path: &str, body: &Value) -> Response {
    let url = server.url(&format!("/_emulator/{path}"));
    send(server.api.post(url).json(body)).await
}

/// `POST /_emulator/tokens`, expecting success.
pub async fn mint(server: &TestApp, body: Value) -> Value {
    let response = post(server, "tokens", &body).await;
    assert_eq!(response.status(), 200, "minting {body}");
    response.json().await.expect("minted tokens as JSON")
}

/// `POST /_emulator/clock`, expecting success; the clock's new state.
pub async fn set_clock(server: &TestApp, body: Value) -> Value {
    let response = post(server, "clock", &body).await;
    assert_eq!(response.status(), 200, "moving the clock with {body}");
    response.json().await.expect("the clock as JSON")
}

/// Entry API problem details (`docs/protocol.md#entry-api-check`): status, media type, all four
/// members, and no `WWW-Authenticate`.
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

/// `GET /_emulator/refresh-tokens` with `query` (empty or `?...`): the listed rows.
pub async fn listed_tokens(server: &TestApp, query: &str) -> Vec<Value> {
    let response = server
        .get(&format!("/_emulator/refresh-tokens{query}"))
        .await;
    assert_eq!(response.status(), 200, "listing refresh tokens{query}");
    let body: Value = response.json().await.expect("JSON");
    body["refresh_tokens"].as_array().expect("a list").clone()
}

/// `POST /_emulator/clients` with `body`, expecting 201.
pub async fn create_client(server: &TestApp, body: &Value) {
    let url = server.url("/_emulator/clients");
    let created = send(server.api.post(url).json(body)).await;
    assert_eq!(created.status(), 201, "creating client {body}");
}
