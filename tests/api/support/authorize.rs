//! User login on the OAuth2 realm as a browser and a client library do it
//! (`docs/protocol.md#authorization-endpoint`): an authorization request with an S256 PKCE
//! challenge computed here, the same login form as `/connect`, the redirect back with a code,
//! and the token endpoint's code and refresh grants. The authorization endpoint's two ways of
//! failing (a page, or a redirect back with `error`) are asserted exactly.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Response;
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

use super::app::TestApp;
use super::browser::Browser;
use super::http::{form_query, header, location, text};
use super::oauth::{TOKEN_PATH, post_form};
use super::setup::{
    APP_CALLBACK, CLIENT_ID, CLIENT_SECRET, PUBLIC_CALLBACK, PUBLIC_CLIENT, USER_NICK,
    USER_PASSWORD,
};

pub const AUTHORIZE_PATH: &str = "/realms/uitid/protocol/openid-connect/auth";
pub const USERINFO_PATH: &str = "/realms/uitid/protocol/openid-connect/userinfo";
pub const LOGOUT_PATH: &str = "/realms/uitid/protocol/openid-connect/logout";
pub const INTROSPECT_PATH: &str = "/realms/uitid/protocol/openid-connect/token/introspect";
pub const REVOKE_PATH: &str = "/realms/uitid/protocol/openid-connect/revoke";
/// The `state` every authorization request of these helpers sends.
pub const STATE: &str = "af0ifjsldkj";

/// A client of the realm as a test drives it.
#[derive(Clone, Copy, Debug)]
pub struct AppClient {
    pub id: &'static str,
    /// `None` for a public client.
    pub secret: Option<&'static str>,
    /// The redirect URI it registered.
    pub redirect_uri: &'static str,
}

/// The confidential test client (every grant, redirect URI [`APP_CALLBACK`]).
pub const CONFIDENTIAL: AppClient = AppClient {
    id: CLIENT_ID,
    secret: Some(CLIENT_SECRET),
    redirect_uri: APP_CALLBACK,
};

/// The public test client (PKCE required, loopback redirect URI).
pub const PUBLIC: AppClient = AppClient {
    id: PUBLIC_CLIENT,
    secret: None,
    redirect_uri: PUBLIC_CALLBACK,
};

impl AppClient {
    /// `client_id`, and `client_secret` for a confidential client (authentication in the body).
    pub fn credentials(&self) -> Vec<(&'static str, &'static str)> {
        let mut pairs = vec![("client_id", self.id)];
        pairs.extend(self.secret.map(|s| ("client_secret", s)));
        pairs
    }
}

/// A PKCE pair (RFC 7636): a fresh verifier of 64 unreserved characters and its S256 challenge.
#[derive(Clone, Debug)]
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        let verifier = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        Self {
            challenge: s256(&verifier),
            verifier,
        }
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Self::new()
    }
}

/// `BASE64URL(SHA256(verifier))`, computed without the server's code.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The query of an authorization request of `client`: `response_type=code`, its redirect URI,
/// [`STATE`], the S256 challenge of `pkce`, then `extra`.
pub fn authorize_query(client: AppClient, pkce: &Pkce, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", client.id),
        ("redirect_uri", client.redirect_uri),
        ("state", STATE),
        ("code_challenge", pkce.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    pairs.extend_from_slice(extra);
    form_query(&pairs)
}

/// The realm's issuer on a test server (`oauth.issuer` unset).
pub fn issuer(server: &TestApp) -> String {
    server.url("/realms/uitid")
}

impl Browser {
    /// `GET` the authorization endpoint with `query`.
    pub async fn authorize(&self, query: &str) -> Response {
        self.get(&format!("{AUTHORIZE_PATH}?{query}")).await
    }

    /// The authorization request, its 302 to the login form, and the form posted as the default
    /// user: the 303 back to the client.
    pub async fn authorize_through_form(&self, query: &str) -> Response {
        let response = self.authorize(query).await;
        assert_eq!(response.status(), 302, "the request shows the login form");
        let form = self.read_form(&location(&response)).await;
        self.submit_login(&form, USER_NICK, USER_PASSWORD).await
    }
}

/// Where a redirect back to the client goes, and its query parameters in order.
#[derive(Clone, Debug)]
pub struct Callback {
    pub url: Url,
    pub pairs: Vec<(String, String)>,
}

impl Callback {
    pub fn from(response: &Response) -> Self {
        Self::from_location(&location(response))
    }

    pub fn from_location(location: &str) -> Self {
        let url = Url::parse(location).expect("the redirect goes to an absolute URL");
        let pairs = url.query_pairs().into_owned().collect();
        Self { url, pairs }
    }

    /// The value of `name`, which may appear at most once.
    pub fn get(&self, name: &str) -> Option<&str> {
        let mut values = self.pairs.iter().filter(|(n, _)| n == name);
        let first = values.next().map(|(_, v)| v.as_str());
        assert!(values.next().is_none(), "{name} twice in {}", self.url);
        first
    }

    pub fn code(&self) -> &str {
        self.get("code").expect("the redirect carries a code")
    }

    pub fn names(&self) -> Vec<&str> {
        self.pairs.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The URL without its query: the redirect URI's scheme, host, port and path.
    pub fn target(&self) -> String {
        let mut url = self.url.clone();
        url.set_query(None);
        url.to_string()
    }
}

/// A code the default user's login gave a client, with what the exchange needs.
pub struct Issued {
    pub code: String,
    pub pkce: Pkce,
    pub callback: Callback,
    /// The browser that logged in, with its SSO session.
    pub browser: Browser,
}

/// A code for `client` from a form login in a fresh browser; `extra` joins the request.
pub async fn code_for(server: &TestApp, client: AppClient, extra: &[(&str, &str)]) -> Issued {
    let browser = server.browser();
    let pkce = Pkce::new();
    let query = authorize_query(client, &pkce, extra);
    let response = browser.authorize_through_form(&query).await;
    assert_eq!(response.status(), 303, "the form login succeeds");
    let callback = Callback::from(&response);
    Issued {
        code: callback.code().to_owned(),
        pkce,
        callback,
        browser,
    }
}

/// The code grant as `client`: its credentials, its redirect URI, and `verifier` if given.
pub async fn exchange_code(
    server: &TestApp,
    client: AppClient,
    code: &str,
    verifier: Option<&str>,
) -> Response {
    let mut pairs = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", client.redirect_uri),
    ];
    pairs.extend(verifier.map(|v| ("code_verifier", v)));
    pairs.extend(client.credentials());
    post_form(server, TOKEN_PATH, &pairs).await
}

/// A form login for `client` with `scope`, exchanged: the token endpoint's JSON.
pub async fn log_in_for_tokens(server: &TestApp, client: AppClient, scope: &str) -> Value {
    log_in_with(server, client, &[("scope", scope)]).await
}

/// A form login for `client` whose request adds `extra`, exchanged: the token endpoint's JSON.
pub async fn log_in_with(server: &TestApp, client: AppClient, extra: &[(&str, &str)]) -> Value {
    let issued = code_for(server, client, extra).await;
    let response = exchange_code(server, client, &issued.code, Some(&issued.pkce.verifier)).await;
    assert_eq!(response.status(), 200, "the code is exchanged");
    response.json().await.expect("the token answer is JSON")
}

/// The refresh-token grant as `client`.
pub async fn refresh_grant(server: &TestApp, client: AppClient, refresh: &str) -> Response {
    let mut pairs = vec![("grant_type", "refresh_token"), ("refresh_token", refresh)];
    pairs.extend(client.credentials());
    post_form(server, TOKEN_PATH, &pairs).await
}

/// A refresh expected to succeed: the token endpoint's JSON.
pub async fn refreshed(server: &TestApp, client: AppClient, refresh: &str) -> Value {
    let response = refresh_grant(server, client, refresh).await;
    assert_eq!(response.status(), 200, "the refresh succeeds");
    response.json().await.expect("the token answer is JSON")
}

/// A string member of a JSON answer.
pub fn member(value: &Value, name: &str) -> String {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} is a string in {value}"))
        .to_owned()
}

/// The authorization endpoint's error page: 400 HTML saying `text`, never a `Location`.
pub async fn assert_error_page(response: Response, text_shown: &str, case: &str) {
    assert_eq!(response.status(), 400, "{case}");
    assert!(
        header(&response, "location").is_none(),
        "{case}: no redirect"
    );
    let content_type = header(&response, "content-type").unwrap_or("");
    assert!(
        content_type.starts_with("text/html"),
        "{case}: {content_type}"
    );
    assert_eq!(
        header(&response, "cache-control"),
        Some("no-store"),
        "{case}"
    );
    let html = text(response).await;
    let shown = format!(r#"<p class="error">{text_shown}</p>"#);
    assert!(html.contains(&shown), "{case}: {shown} in {html}");
}

/// An error sent back to the client (RFC 6749 section 4.1.2.1, RFC 9207): a 302 to
/// `redirect_uri` whose query is its own parameters, then exactly `error`,
/// `error_description`, `state` (when sent) and `iss`.
pub fn assert_error_redirect(
    response: &Response,
    redirect_uri: &str,
    expected: (&str, &str),
    state: Option<&str>,
    issuer: &str,
    case: &str,
) {
    assert_eq!(response.status(), 302, "{case}");
    assert_eq!(
        header(response, "cache-control"),
        Some("no-store"),
        "{case}"
    );
    let callback = Callback::from(response);
    let registered = Url::parse(redirect_uri).expect("a redirect URI");
    let own: Vec<(String, String)> = registered.query_pairs().into_owned().collect();
    let mut wanted = own.clone();
    wanted.push(("error".into(), expected.0.into()));
    wanted.push(("error_description".into(), expected.1.into()));
    wanted.extend(state.map(|s| ("state".to_owned(), s.to_owned())));
    wanted.push(("iss".into(), issuer.into()));
    assert_eq!(callback.pairs, wanted, "{case}");
    let mut without = registered;
    without.set_query(None);
    assert_eq!(callback.target(), without.to_string(), "{case}");
}
