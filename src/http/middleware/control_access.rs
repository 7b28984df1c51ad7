//! Who may use the control plane (`docs/protocol.md#control-plane`): with `admin.token` set,
//! callers must send `Authorization: Bearer <token>`; without one, only loopback peers are served.
//! Proxy headers such as `X-Forwarded-For` are ignored: anyone can send them.

use std::net::SocketAddr;

use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, Request, State};
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
    next.run(request).await
}
