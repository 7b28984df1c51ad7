//! Who may use the control plane (`docs/protocol.md#control-plane`): with `admin.token` set,
//! callers must send `Authorization: Bearer <token>`; without one, only loopback peers are served.
//! Proxy headers such as `X-Forwarded-For` are ignored: anyone can send them. A changing request
//! that a browser sends for a page of another origin is refused whoever the caller is
//! (`docs/reliability.md#cross-site-requests`).

use std::net::SocketAddr;

use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::error::ControlError;
use crate::secret::TokenHash;

pub async fn control_plane_access(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let expected = state.settings().admin.token.expose();
    let allowed = if expected.is_empty() {
        // What the server sets, else what `MockConnectInfo` sets in tests: the same fallback
        // axum's `ConnectInfo` extractor makes.
        let extensions = request.extensions();
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0)
            .or_else(|| extensions.get::<MockConnectInfo<SocketAddr>>().map(|m| m.0))
            .map(|addr| addr.ip());
        if !peer.is_some_and(|ip| ip.is_loopback() || ip.to_canonical().is_loopback()) {
            tracing::warn!(
                "control plane refused: peer is not loopback and no admin token is configured"
            );
            return ControlError::LoopbackOnly.into_response();
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
