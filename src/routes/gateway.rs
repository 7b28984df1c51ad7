//! The Entry API gateway (`docs/protocol.md#entry-api-gateway`): every path the emulator does
//! not serve itself, admitted by `http::middleware::gateway_admission` (the Entry API's
//! authentication) and passed on to `entry_api.upstream` with the caller's verified identity.
//! Registered only when the gateway is on; else unknown paths stay the fallback's plain 404.

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use crate::app::AppState;
use crate::error::EntryApiError;
use crate::http::middleware::gateway_admission::admit_to_gateway;
use crate::http::upstream::{Identity, Upstream, UpstreamFailure};
use crate::service::EntryCaller;

/// The one route template every gateway request is counted, logged and journaled under (a raw
/// path would make labels unbounded).
pub const ROUTE: &str = "/{*entry_api}";

pub fn router(state: AppState) -> Option<Router<AppState>> {
    let settings = &state.settings().entry_api;
    if !settings.gateway_enabled() {
        return None;
    }
    let upstream = settings
        .upstream_base()
        .map(|base| Arc::new(Upstream::new(base, settings.upstream_timeout)));
    let forward = move |request: Request| forward(upstream.clone(), request);
    let routes = Router::new()
        .route("/", any(forward.clone()))
        .route(ROUTE, any(forward))
        .route_layer(from_fn_with_state(state, admit_to_gateway));
    Some(routes)
}

async fn forward(upstream: Option<Arc<Upstream>>, request: Request) -> Response {
    let Some(upstream) = upstream else {
        return EntryApiError::NoUpstream.into_response();
    };
    // None on a public read: nobody was authenticated, so nobody is vouched for.
    let caller = request.extensions().get::<EntryCaller>().cloned();
    let identity = caller
        .as_ref()
        .map_or_else(Identity::default, |caller| Identity {
            user: caller.user_id(),
            client: caller.client_id(),
        });
    match upstream.forward(request, identity).await {
        Ok(answer) => answer,
        Err(UpstreamFailure::BodyTooLarge) => {
            let text = "length limit exceeded".to_owned();
            crate::http::text(StatusCode::PAYLOAD_TOO_LARGE, text)
        }
        Err(failure) => EntryApiError::BadGateway(match failure {
            UpstreamFailure::Unreachable => "The Entry API upstream could not be reached.",
            UpstreamFailure::TimedOut => "The Entry API upstream did not answer in time.",
            _ => "The Entry API upstream gave no valid answer.",
        })
        .into_response(),
    }
}
