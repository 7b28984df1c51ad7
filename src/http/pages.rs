//! HTML pages: self-contained (no third-party resources), never framed, scripts and styles
//! allowed only by a per-response nonce (`docs/protocol.md#headers`).

use std::time::{Duration, UNIX_EPOCH};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::secret::OpaqueToken;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}\
label{display:block;margin:.6rem 0 .2rem}input{font-size:1rem;padding:.3rem;width:20rem}\
button{font-size:1rem;margin:.8rem .5rem 0 0;padding:.3rem 1rem}.error{color:#b00020}\
code,textarea{font-family:ui-monospace,monospace;font-size:.85rem}textarea{width:100%;height:5rem}\
pre{background:#f4f4f4;padding:.6rem;overflow:auto}td{padding:.1rem .6rem .1rem 0}";

/// A page with a title and body; `script` (inline JS) runs under the nonce.
pub fn page(
    status: StatusCode,
    lang: &str,
    title: &str,
    body: Markup,
    script: Option<&str>,
) -> Response {
    let nonce = OpaqueToken::generate();
    let nonce = nonce.as_str();
    let markup = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · uitid-emulator" }
                style nonce=(nonce) { (PreEscaped(STYLE)) }
            }
            body {
                (body)
                @if let Some(script) = script { script nonce=(nonce) { (PreEscaped(script)) } }
            }
        }
    };
    let csp = format!(
        "default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    guarded((status, Html(markup.into_string())).into_response(), &csp)
}

/// `response` with `csp` as its Content-Security-Policy, and never framed.
pub fn guarded(mut response: Response, csp: &str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Ok(value) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Unix seconds as UTC RFC 3339 (`2026-01-31T12:00:00Z`), for people; a moment before 1970 or
/// after 9999 stays a number. RFC 3339 has four-digit years, and humantime's `Display` fails
/// beyond them, which `to_string` turns into a panic: a JWT's `exp` at `/oob` or a key's
/// `retiring_at` on the dashboard can be that far out.
pub fn utc_time(unix: i64) -> String {
    use std::fmt::Write;

    let Ok(seconds) = u64::try_from(unix) else {
        return unix.to_string();
    };
    let Some(moment) = UNIX_EPOCH.checked_add(Duration::from_secs(seconds)) else {
        return unix.to_string();
    };
    let mut text = String::new();
    match write!(text, "{}", humantime::format_rfc3339_seconds(moment)) {
        Ok(()) => text,
        Err(_) => unix.to_string(),
    }
}
