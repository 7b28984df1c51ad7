//! Sending requests and reading answers, the same way for every kind of test server. Clients
//! never follow redirects, so every 30x can be asserted.

use std::sync::Arc;

use reqwest::cookie::Jar;
use reqwest::redirect::Policy;
use reqwest::{Client, ClientBuilder, RequestBuilder, Response};

/// A client without cookies, as an API client or a resource server would call.
pub fn client() -> Client {
    no_redirects().build().expect("an HTTP client")
}

/// A client that keeps cookies in `jar`, as a browser does.
pub fn client_with_cookies(jar: Arc<Jar>) -> Client {
    no_redirects()
        .cookie_provider(jar)
        .build()
        .expect("an HTTP client")
}

fn no_redirects() -> ClientBuilder {
    Client::builder().redirect(Policy::none())
}

pub async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("the server answers")
}

pub async fn text(response: Response) -> String {
    response.text().await.expect("a readable body")
}

pub fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("an ASCII header"))
}

/// The `Location` header of a redirect.
pub fn location(response: &Response) -> String {
    header(response, "location")
        .expect("a Location header")
        .to_owned()
}

/// `name=value&...`, form-encoded, in the given order.
pub fn form_query(pairs: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    query.finish()
}

/// The query of a `/connect` for `key` and `destination`.
pub fn connect_query(key: &str, destination: &str) -> String {
    form_query(&[("apiKey", key), ("destination", destination)])
}

/// `docs/protocol.md#headers`: nothing that may carry a token is cached or leaks through `Referer`.
pub fn assert_not_cached(response: &Response) {
    for (name, value) in [
        ("cache-control", "no-store"),
        ("pragma", "no-cache"),
        ("referrer-policy", "no-referrer"),
    ] {
        assert_eq!(
            header(response, name),
            Some(value),
            "{name} on {}",
            response.url()
        );
    }
}

/// `docs/protocol.md#headers`: HTML pages cannot be framed.
pub fn assert_html_page(response: &Response) {
    assert_not_cached(response);
    assert_eq!(header(response, "x-frame-options"), Some("DENY"));
    let csp = header(response, "content-security-policy").expect("a CSP");
    assert!(csp.contains("frame-ancestors 'none'"), "CSP {csp}");
    let content_type = header(response, "content-type").expect("a content type");
    assert!(
        content_type.starts_with("text/html"),
        "content type {content_type}"
    );
}

/// Upstream's refusal: 400 with an empty body, and no redirect.
pub async fn assert_empty_400(response: Response, case: &str) {
    assert_eq!(response.status(), 400, "{case}");
    assert!(
        header(&response, "location").is_none(),
        "{case}: no redirect"
    );
    assert_eq!(text(response).await, "", "{case}: empty body");
}

/// A 400 with exactly `body` as plain text, and no redirect.
pub async fn assert_text_400(response: Response, body: &str, case: &str) {
    assert_eq!(response.status(), 400, "{case}");
    assert!(
        header(&response, "location").is_none(),
        "{case}: no redirect"
    );
    assert_eq!(
        header(&response, "content-type"),
        Some("text/plain; charset=utf-8"),
        "{case}"
    );
    assert_eq!(text(response).await, body, "{case}");
}

/// `GET url`, answered with JSON (any status).
pub async fn get_json(client: &Client, url: &str) -> serde_json::Value {
    let response = send(client.get(url)).await;
    response.json().await.expect("a JSON body")
}
