//! A simulated browser: its own cookie jar, never follows redirects, and knows how to fill in
//! the login form (scraping the hidden `flow` and `csrf` inputs like a real page would post them).

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response};
use url::Url;

use super::http::{client_with_cookies, location, send, text};
use super::setup::{USER_NICK, USER_PASSWORD};

/// The name of the SSO session cookie.
pub const SESSION_COOKIE: &str = "uitid_emulator_session";

pub struct Browser {
    base: String,
    jar: Arc<Jar>,
    client: Client,
}

/// The hidden inputs of a login form.
#[derive(Debug, Clone)]
pub struct LoginForm {
    pub flow: String,
    pub csrf: String,
    pub html: String,
}

/// The tokens a redirect carried to its destination.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub url: Url,
    pub jwt: String,
    pub refresh: Option<String>,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let jar = Arc::new(Jar::default());
        Self {
            base: base.to_owned(),
            client: client_with_cookies(jar.clone()),
            jar,
        }
    }

    fn url(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.base)
        }
    }

    pub async fn get(&self, path_or_url: &str) -> Response {
        send(self.client.get(self.url(path_or_url))).await
    }

    pub async fn connect(&self, query: &str) -> Response {
        self.get(&format!("/connect?{query}")).await
    }

    pub async fn logout(&self, query: &str) -> Response {
        self.get(&format!("/logout?{query}")).await
    }

    pub async fn logout_confirm(&self) -> Response {
        self.get("/logout-confirm").await
    }

    /// Follows `/connect`'s redirect to the login page and reads its form.
    pub async fn open_form(&self, connect_query: &str) -> LoginForm {
        let response = self.connect(connect_query).await;
        assert_eq!(
            response.status(),
            302,
            "/connect?{connect_query} shows the login form"
        );
        self.read_form(&location(&response)).await
    }

    pub async fn read_form(&self, login_page: &str) -> LoginForm {
        assert!(
            login_page.starts_with("/login?flow="),
            "{login_page} is the login page"
        );
        let response = self.get(login_page).await;
        assert_eq!(response.status(), 200);
        let html = text(response).await;
        LoginForm {
            flow: hidden_input(&html, "flow"),
            csrf: hidden_input(&html, "csrf"),
            html,
        }
    }

    /// Posts the login form as a browser would (`application/x-www-form-urlencoded`).
    pub async fn submit(&self, fields: &[(&str, &str)]) -> Response {
        send(self.client.post(self.url("/login")).form(fields)).await
    }

    /// Posts `body`, already form-encoded, to `path_or_url` as a browser submits a form.
    pub async fn post(&self, path_or_url: &str, body: &str) -> Response {
        let request = self.client.post(self.url(path_or_url));
        let request = request.header("content-type", "application/x-www-form-urlencoded");
        send(request.body(body.to_owned())).await
    }

    pub async fn submit_login(&self, form: &LoginForm, username: &str, password: &str) -> Response {
        self.submit(&[
            ("flow", &form.flow),
            ("csrf", &form.csrf),
            ("username", username),
            ("password", password),
            ("action", "login"),
        ])
        .await
    }

    /// The whole interactive flow as the default user; returns the 303 after the form.
    pub async fn log_in(&self, connect_query: &str) -> Response {
        let form = self.open_form(connect_query).await;
        self.submit_login(&form, USER_NICK, USER_PASSWORD).await
    }

    /// The value of cookie `name` the browser would send to the server.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = Url::parse(&self.base).expect("a base URL");
        let header = self.jar.cookies(&url)?;
        let header = header.to_str().ok()?.to_owned();
        header.split("; ").find_map(|pair| {
            let (n, v) = pair.split_once('=')?;
            (n == name).then(|| v.to_owned())
        })
    }

    /// Puts a cookie in the jar, as an attacker planting a session id would.
    pub fn plant_cookie(&self, name: &str, value: &str) {
        let url = Url::parse(&self.base).expect("a base URL");
        self.jar
            .add_cookie_str(&format!("{name}={value}; Path=/"), &url);
    }
}

impl Tokens {
    /// Reads `jwt` and `refresh` from a redirect, asserting each appears at most once.
    pub fn from_redirect(response: &Response) -> Self {
        Self::from_location(&location(response))
    }

    pub fn from_location(location: &str) -> Self {
        let url = Url::parse(location).expect("the redirect goes to an absolute URL");
        let only = |name: &str| {
            let values: Vec<String> = url
                .query_pairs()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.into_owned())
                .collect();
            assert!(
                values.len() <= 1,
                "{name} appears {} times in {location}",
                values.len()
            );
            values.into_iter().next()
        };
        let jwt = only("jwt").expect("the redirect carries a jwt");
        let refresh = only("refresh");
        Self { url, jwt, refresh }
    }

    /// The refresh token, which this flow must have issued.
    pub fn refresh(&self) -> &str {
        self.refresh.as_deref().expect("a refresh token was issued")
    }

    /// The names of the destination's query parameters, in order.
    pub fn parameter_names(&self) -> Vec<String> {
        self.url
            .query_pairs()
            .map(|(n, _)| n.into_owned())
            .collect()
    }
}

/// The value of the hidden input `name` of a page's form.
pub fn hidden_input(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("the form has a {name} input"));
    let rest = &html[start + marker.len()..];
    rest[..rest.find('"').expect("a closed attribute")].to_owned()
}
