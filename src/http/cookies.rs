//! The cookies of the login stand-in. All are `HttpOnly`, `SameSite=Lax`, `Path=/`, and
//! `Secure` when the public URL is https.

use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::config::Settings;
use crate::secret::OpaqueToken;

/// The SSO session: a second `/connect` skips the form while it lives.
pub const SESSION: &str = "uitid_emulator_session";
/// A secret per browser that login forms' CSRF tokens are bound to.
pub const BROWSER: &str = "uitid_emulator_browser";
/// The pending logout flow between `/logout` and `/logout-confirm`.
pub const LOGOUT: &str = "uitid_emulator_logout";

pub fn build(name: &'static str, value: String, settings: &Settings) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(settings.secure_cookies())
        .build()
}

/// A cookie that makes the browser forget `name`.
pub fn removal(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build((name, "")).path("/").build();
    cookie.make_removal();
    cookie
}

/// `jar` with the browser cookie a new login flow made, if it made one.
pub fn with_new_browser(
    jar: CookieJar,
    new_browser: Option<OpaqueToken>,
    settings: &Settings,
) -> CookieJar {
    match new_browser {
        Some(browser) => jar.add(build(BROWSER, browser.as_str().to_owned(), settings)),
        None => jar,
    }
}
