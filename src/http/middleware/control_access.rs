//! Who may use the control plane (`docs/protocol.md#control-plane`): with `admin.token` set,
//! callers must send `Authorization: Bearer <token>`; without one, only loopback peers are served.
//! Proxy headers such as `X-Forwarded-For` are ignored: anyone can send them. A changing request
//! that a browser sends for a page of another origin is refused whoever the caller is
//! (`docs/reliability.md#cross-site-requests`).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::error::ControlError;
use crate::http::peer::peer_ip;
use crate::secret::TokenHash;

pub async fn control_plane_access(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let expected = state.settings().admin.token.expose();
    let allowed = if expected.is_empty() {
        let peer = peer_ip(request.extensions());
        if !peer.is_some_and(|ip| ip.is_loopback() || ip.to_canonical().is_loopback()) {
            tracing::warn!(
                "control plane refused: peer is not loopback and no admin token is configured"
            );
            return ControlError::LoopbackOnly.into_response();
        }
        if !addressed_here(request.headers(), &state.settings().server.public_url) {
            tracing::warn!(
                "control plane refused: Host is neither a loopback name nor public_url's"
            );
            return ControlError::ForeignHost.into_response();
        }
        true
    } else {
        let sent = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        let token = sent.and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
        // Comparing hashes keeps the comparison time independent of the secret's content.
        TokenHash::of(token.as_bytes()) == TokenHash::of(expected.as_bytes())
    };
    if !allowed {
        tracing::warn!("control plane refused: missing or wrong admin token");
        return ControlError::AdminTokenRequired.into_response();
    }
    if !request.method().is_safe() && from_another_origin(request.headers()) {
        tracing::warn!("control plane refused: a cross-site request from a browser");
        return ControlError::CrossSite.into_response();
    }
    next.run(request).await
}

/// Whether a browser sent this for a page of another origin. A page elsewhere may send a form
/// post or a `text/plain` fetch to a loopback server without a CORS preflight, and the control
/// plane reads any body as JSON; the loopback rule cannot tell, since the browser is on loopback.
/// Browsers say where a request comes from (`Sec-Fetch-Site`, else `Origin`); clients that are
/// not browsers (curl, test code) send neither and are not affected.
fn from_another_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: the user's own action (typed address, bookmark), not a page's.
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    // `Origin` is `scheme://host[:port]`; same origin when host and port are those the request
    // was sent to. `null` (a sandboxed or file page) never matches.
    let authority = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, authority)| authority);
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (authority, host) {
        (Some(authority), Some(host)) => !authority.eq_ignore_ascii_case(host),
        _ => true,
    }
}

/// Without an admin token, whether the request was addressed to this machine: by a loopback
/// name or address, or by `public_url`'s host. A DNS-rebinding page reaches a loopback server
/// under its own name (`Host: rebind.evil.test`), which is refused here, so it cannot read
/// what the control plane answers (`docs/reliability.md#cross-site-requests`). A request
/// without `Host` (HTTP/1.0; never a browser) is not a rebinding.
fn addressed_here(headers: &HeaderMap, public_url: &str) -> bool {
    let Some(host) = headers.get(header::HOST) else {
        return true;
    };
    let Some(authority) = host
        .to_str()
        .ok()
        .and_then(|h| h.parse::<axum::http::uri::Authority>().ok())
    else {
        return false;
    };
    let name = authority.host().to_ascii_lowercase();
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    let loopback_ip = bare
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback() || ip.to_canonical().is_loopback());
    // RFC 6761: `localhost` and its subdomains always resolve to loopback.
    let loopback_name = name == "localhost" || name.ends_with(".localhost");
    let public = url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .is_some_and(|public| public == name);
    loopback_ip || loopback_name || public
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue, header};

    use super::addressed_here;

    fn host(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn public_urls_host_is_here_whatever_the_port_and_other_names_are_not() {
        let public = "https://emulator.test:8443/base";
        assert!(addressed_here(&host("emulator.test:8443"), public));
        assert!(addressed_here(&host("EMULATOR.test"), public));
        assert!(!addressed_here(&host("emulator.test.evil"), public));
        assert!(!addressed_here(&host("not a host"), public));
        assert!(
            addressed_here(&HeaderMap::new(), public),
            "no Host: not a browser"
        );
    }
}
